-- The text encoding an import's file was read in (UTF-8, UTF-16LE, UTF-16BE or windows-1252), told by a
-- first pass over the whole file; null until the file has been read, and for a file in none of them.
ALTER TABLE imports ADD COLUMN encoding text;
