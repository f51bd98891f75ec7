"""Everything around the extractors that touches files: readers (text_file, pdf), one file to a
result (extract), many files to an output folder (batch, output), typed errors, and the CLI."""
