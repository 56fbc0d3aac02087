"""The DSLP process itself, pure (no I/O, no surfaces): issue types, labels, templates, reference lines,
branch names, issue numbers and checklists. ``shared/DSLP.md`` is the reference."""
