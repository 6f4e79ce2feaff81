"""What feature apps need to write their parts of official documents, below them and below reports: the registry
of what a document can be drafted from (sources.py), the per-draft context and section types every writer shares
(sections.py) and the prose helpers of party documents (text.py). reports composes documents from what is
registered here and names no feature app; a feature app registers its sources in AppConfig.ready()."""
