"""factory_boy factories, one module per domain. Each builds through the project's own
services (a report arrives through ``report_submit``, a case moves through
``case_transition``), never by writing rows around them."""
