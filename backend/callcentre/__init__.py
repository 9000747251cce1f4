"""The call-centre feedback queue (F7): agents call citizens whose grievance was disposed of."""
