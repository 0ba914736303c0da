"""Events and claims: ACLED-typed events with actors, dates, fatalities and who claims what.

The pieces, each usable alone:

- :mod:`~fogwatch.events.taxonomy`  the ACLED event/sub-event types (and CASE 2021 codes);
- :mod:`~fogwatch.events.model`     the frozen records (Event, Claim, Actor, Location);
- :mod:`~fogwatch.events.actors`    the user-extensible actor registry (YAML) and its matcher;
- :mod:`~fogwatch.events.dates`     date spans found by rule, resolved with ``dateparser``;
- :mod:`~fogwatch.events.figures`   numbers, ranges and vague amounts as low/high figures;
- :mod:`~fogwatch.events.claims`    claimant and modality of a statement;
- :mod:`~fogwatch.events.classify`  trigger lexicon -> sub-event types;
- :mod:`~fogwatch.events.assemble`  one event per sub-type/location/date/actor pair.
"""
