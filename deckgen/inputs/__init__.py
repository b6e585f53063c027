"""Reading the inputs: the spec, the theme and the codebook (YAML read with positions,
validated by typed models), the survey readers, and the rules that check a spec
against its codebook and template. Imports nothing of the later stages."""
