"""Pages of the pathways app, by sub-domain: worklist and lists, one pathway, intake, acts."""
