"""The app's wiring, one Chalice blueprint per audience: `pos_api` (`/v1`, signed by store
keys), `portal_pages` (`/l`, `/portal`, bearer links), `dashboard` (`/painel`, staff) and
`events` (schedules, SQS, SNS). A view parses the request, calls one function in
functions/ and shapes the answer; the rules live in functions/ and layers/bemtevi."""
