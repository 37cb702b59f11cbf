"""The rules the knowledge base is held to, each stated once: the claim-file format and its
validator, how a capture splits into passages, bottom-line wording, hype words, the review
policy, and how a near-miss quote is explained."""
