"""Pages of the evaluation app, by sub-domain: indicators, exports."""
