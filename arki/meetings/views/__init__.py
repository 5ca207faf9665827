"""The network meeting's pages, one module per concern:

- ``meeting``: planning a meeting, its page and the actions on it (invitees, consent,
  proposals, scheduling, cancelling), and the invitees' answer page;
- ``record``: recording the meeting itself (phase notes, held, the responsible worker);
- ``report``: making, sending and reading the report's versions (staff);
- ``page``: what they share: the meeting loaded through the access helper, the page's
  context and its URLs.

The family's copy of the report is a portal page (``arki.portal.views``).
"""
