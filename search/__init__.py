"""Search: the embedded (jieba-segmented) and Elasticsearch engines and the disclosure catalogue.

Filled by the search issue; plugins expose their search documents in their own `search.py` as `documents`.
"""
