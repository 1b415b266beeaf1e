"""Pure business rules: no Flask, no database, no clock. Inputs in, values out."""
