"""The retreat record and the action plan (SPEC §9), as pure data and rules.

``model`` holds the statuses, the allowed changes of an action's status and the plain data
the services hand to pages and exports; ``movement`` says what moved, from the release a
retreat read to the next campaign's release, for each target of an action. Pure Python: no
Flask, no database.
"""
