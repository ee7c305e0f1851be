"""ScienceQA as stage-2 ("instruct") records, in LLaVA's prompt formats."""
