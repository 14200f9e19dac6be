"""The core: diagnostics, dates, text folding, the plain records of people, sources
and annotations, and small rules every layer shares. Imports nothing else of annostory."""
