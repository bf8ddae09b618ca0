"""Effects of interventions on one scale, pooled per outcome domain and follow-up."""
