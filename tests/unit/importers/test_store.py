"""Storing imported records: what a duplicate adds to the study it matches."""

import io

from importers.pipeline import commit_import
from registry.extensions import db
from registry.models import Study

FIRST = (b"TY  - JOUR\nTI  - Jobcoaching en baanbehoud\nAU  - Smit, Anna\nPY  - 2020\n"
         b"DO  - 10.1000/baanbehoud\nKW  - supported employment\nKW  - return to work\nER  - \n")
AGAIN = (b"TY  - JOUR\nTI  - Jobcoaching en baanbehoud\nAU  - Smit, Anna\nPY  - 2020\n"
         b"DO  - 10.1000/baanbehoud\nKW  - Supported Employment\nKW  - Mental health\nER  - \n")


def test_a_merged_duplicate_adds_no_keyword_that_differs_only_in_case(app):
    commit_import(io.BytesIO(FIRST), "first.ris")
    commit_import(io.BytesIO(AGAIN), "again.ris")
    study = db.session.query(Study).filter_by(doi="10.1000/baanbehoud").one()
    assert study.keywords == ["supported employment", "return to work", "Mental health"]
