"""Assessments carried out by the pathway professionals (APA, dietetic, psychological bilans).

For now only ``instruments``: the pure scoring layer (plain values in, frozen results out, no
database). The app (models, views, API) is built on top of it later.
"""
