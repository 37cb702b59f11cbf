"""The bottom of the package: problems and their messages, text normalisation, file reading,
the controlled vocabularies, the second process, HTTP. Nothing here imports from above."""
