"""The lab: a trainee's seat in the running world, the journal and the desks (widgets)."""
