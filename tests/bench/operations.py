"""The GraphQL documents the load sends: the same selections the PWA and the staff
console send for these screens (js/views.js, js/staff/inbox.js, js/staff/dashboard.js)."""

from __future__ import annotations

SIGN_IN = """mutation($u: String!, $p: String!) { authSignInPassword(username: $u, password: $p) {
  __typename ... on SignInSuccess { token } ... on OperationError { code message } } }"""

_G = "id number status stage dueAt version reviewLevel unit { code }"
_RESULT = f"__typename ... on GrievanceSuccess {{ grievance {{ {_G} }} }} ... on OperationError {{ code message }}"

FILE = f"""mutation($input: GrievanceFileInput!) {{ grievanceFile(input: $input) {{ __typename
  ... on GrievanceFileSuccess {{ created grievance {{ {_G} }} }} ... on OperationError {{ code message }} }} }}"""
ALLOT = f"mutation($id: ID!, $u: ID!, $v: Int) {{ grievanceAllot(id: $id, unitId: $u, expectedVersion: $v) {{ {_RESULT} }} }}"
REPORT = f"""mutation($id: ID!, $kind: ReportKind!, $input: ReportInput!, $v: Int) {{
  reportSubmit(id: $id, kind: $kind, input: $input, expectedVersion: $v) {{ __typename
  ... on ReportSuccess {{ report {{ id kind outcome }} grievance {{ {_G} }} }} ... on OperationError {{ code message }} }} }}"""
APPROVE = f"""mutation($id: ID!, $v: Int) {{ reviewApprove(id: $id, note: "Verified.", expectedVersion: $v) {{
  {_RESULT} }} }}"""
CLOSE = f"""mutation($id: ID!, $v: Int) {{ grievanceClose(id: $id, note: "Resolved as reported.", expectedVersion: $v) {{
  {_RESULT} }} }}"""
COMMENT = f"""mutation($id: ID!, $text: String!) {{ grievanceComment(id: $id, text: $text) {{ {_RESULT} }} }}"""

# The citizen's grievance screen (js/views.js DETAIL).
STATUS = """query($id: ID!) { grievance(id: $id) { id number subject status dueAt closedAt appealDeadline feedbackOpen
  masterNumber version unit { name(language: "en") } timeline(language: "en") { at action toStatus note unitName }
  reports { kind reply createdAt } attachments { id filename } } }"""

# The staff console's inbox, first page (js/staff/inbox.js).
INBOX = """query($f: InboxFilterInput, $after: String) { inbox(filter: $f, first: 25, after: $after) {
  __typename ... on GrievancePage { endCursor hasNextPage items { id number subject status stage dueAt channel
  escalationLevel escalationDueAt unit { name(language: "en") } } } ... on OperationError { code message } } }"""

# The headline figures alone, and the staff console's whole dashboard screen.
DASHBOARD = """query($u: ID!, $s: Date!, $e: Date!) { dashboard(unitId: $u, since: $s, until: $e) { __typename
  ... on Dashboard { received disposed closed rejected resolved notResolved pending ageing { band count }
  averageDisposalDays medianDisposalDays sla { stage onTime late rate } escalations { level count }
  satisfaction { source answers saidResolved averageRating } disputed remanded upheld appealed appealReopened
  appealUpheld transferred notOurs othersReceived } ... on OperationError { code message } } }"""
DASHBOARD_SCREEN = """query($u: ID!, $s: Date!, $e: Date!) {
  unit(id: $u) { code name(language: "en") }
  dashboard(unitId: $u, since: $s, until: $e) { __typename ... on Dashboard { received disposed closed rejected resolved
    notResolved pending ageing { band count } averageDisposalDays medianDisposalDays sla { stage onTime late rate }
    escalations { level count } satisfaction { source answers saidResolved averageRating } disputed remanded upheld
    appealed appealReopened appealUpheld transferred notOurs othersReceived } ... on OperationError { code message } }
  dashboardBreakdown(unitId: $u, since: $s, until: $e, by: CHILD_UNIT) { __typename ... on DashboardRows { rows {
    key unitId received disposed resolved pending } } ... on OperationError { message } }
  ranking(unitId: $u, since: $s, until: $e) { __typename ... on Ranking { minHandled minDisposed weights { dimension weight }
    units { rank score reason handled unit { id code name(language: "en") } components { efficiency feedback
    categorisation commitment } } } ... on OperationError { message } }
  spikeAlerts(unitId: $u, since: $s, language: "en") { __typename ... on SpikeAlerts { alerts { weekStart categoryName
    district count baselineMean score } } ... on OperationError { message } }
  monthlyReports(unitId: $u) { __typename ... on MonthlyReports { reports { month pdfUrl csvUrl } } }
  dashboardTrend(unitId: $u, since: $s, until: $e) { __typename ... on DashboardTrend { points { day received disposed } } }
}"""

SUBSCRIBE = "subscription($id: ID!) { grievanceUpdated(id: $id) { id status version } }"

PRELIMINARY = {"concernsOffice": True, "knownBefore": False, "actionTaken": "Case file called for from the circle office.",
               "resolvableIn72h": True, "reply": "We are examining your case."}
FINAL = {"actionTaken": "Mutation case approved; the land record corrected.",
         "reply": "Your mutation has been completed and the land record corrected."}
