"""Search: jieba segmentation, the search service over the embedded and Elasticsearch engines, documents
(pages, the disclosure catalogue, plugins' `search.documents`), suggestions and the public endpoints."""
