"""Stage 6: rendering results and diagnostics for people and tools.

Every renderer is a pure function from library values to text (or bytes) and
gives the same output for the same input, whatever the locale, time zone,
terminal or hash seed:

* :mod:`~incentives.report.diagnostics`: diagnostics, compiler style or JSON
* :mod:`~incentives.report.statements_table`: statements as text tables
* :mod:`~incentives.report.statements_json`: results as canonical JSON
* :mod:`~incentives.report.statements_csv`: statements as injection-safe CSV
* :mod:`~incentives.report.explain`: one statement as a trace tree
* :mod:`~incentives.report.manifest`: the run manifest with every hash
* :mod:`~incentives.report.files`: atomic writing of output files
* :mod:`~incentives.report.bundle`: audit bundles, written and replayed
* :mod:`~incentives.report.html`: HTML statements (Jinja2 templates, loaded
  by :mod:`~incentives.report.templating`)
* :mod:`~incentives.report.standing` and :mod:`~incentives.report.standing_html`:
  where the team stands mid-period (``incentives report``)
* :mod:`~incentives.report.schema`: the JSON Schema of run results
* :mod:`~incentives.report.diff`: two plans' pay compared per component
* :mod:`~incentives.report.curve` and :mod:`~incentives.report.plot`: pay curves
* :mod:`~incentives.report.plandoc`: a plan as a Markdown or HTML document
"""
