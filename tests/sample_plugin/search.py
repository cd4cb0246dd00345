"""Search documents of the sample plugin."""


class SampleRecordDocument:
    """Stands for the catalogue documents a plugin contributes (the search issue defines their base)."""


documents = [SampleRecordDocument]
