"""Places: the offline gazetteer, toponym recognition and resolution with ACLED precision.

``gazetteer`` builds and reads the SQLite index, ``sources`` adds GeoNames dumps and CSVs,
``recognize`` finds place mentions, ``resolve`` picks one entry per mention and says why,
``model.Place`` is the record in ``doc.places``; the pipeline stage is ``fogwatch.stages.places``.
"""
