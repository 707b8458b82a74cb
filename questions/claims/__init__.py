"""Free-response grading by claims: a rubric claim is a relation between terms, matched on the learner's own
sentences (negation, prompt echo and rival subjects respected), with named misconceptions that cost credit."""
