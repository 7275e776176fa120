"""quality: Great Expectations suites and the gate that blocks a bad release."""
