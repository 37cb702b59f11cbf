"""The stages :meth:`build_tools.knowledge_base.Loader.load` runs, numbered in the order it runs
them: ``s1_find``, ``s2_read``, ``s3_validate``, ``s4_link``, ``s5_flag``, ``s6_cover``. Each
module's docstring begins ``Stage N, name:``; a test holds the numbers to the order."""
