"""archive: a primary-source archive of diplomatic telegrams.

Data flows one way: documents -> validated records -> catalog + index -> search -> web, CLI,
citations and exports. This package is the core library and never imports Flask.
"""

__version__ = "0.1.0"
