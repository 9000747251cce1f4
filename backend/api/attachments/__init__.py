"""Attachments over GraphQL: the multipart upload mutation and the Attachment type."""
