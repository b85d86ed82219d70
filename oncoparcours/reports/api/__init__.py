"""Reports and APA projects for partners: read a report and its deliveries, download its PDF,
list a pathway's reports, resend a delivery; write, read and download an APA project. Every
rule is the services'; this package maps JSON to them."""

from oncoparcours.reports.api import apa_project, reports
from oncoparcours.reports.api.base import router

__all__ = ["apa_project", "reports", "router"]
