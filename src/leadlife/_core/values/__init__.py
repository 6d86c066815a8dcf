"""What records hold, knowing nothing of records, events or histories.

Money, contacts, companies, consent, ids, sources, screenings, follow-up plans
and touches, objections, commitments, committees, evidence and assessments,
merged facts, and the actions the agenda proposes.
"""
