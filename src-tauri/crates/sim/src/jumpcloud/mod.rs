//! JumpCloud API simulator and seeded directory generator.
