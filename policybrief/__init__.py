"""Policy briefing: turns a folder of policy documents into tables and an HTML and PDF briefing.

Layers, imported in one direction: ``text`` -> ``corpus`` -> ``analyses`` -> ``views`` -> ``build``, with the
command line (``cli``) on top. ``options.Options`` is the one parameter contract; ``paths`` has every default
path.
"""

__version__ = "0.2.0"
