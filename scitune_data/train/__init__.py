"""The bundled trainer: vision tower + projector + causal LM, SciTune's two stages."""
