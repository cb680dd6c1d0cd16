"""Constraints on the labelling side."""

import pytest
from django.db import IntegrityError, transaction

from annotations.labelling.projects import project_create
from annotations.models import Label, Membership
from tests.factories import MembershipFactory, ProjectFactory, QuoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_membership_role_comes_from_a_fixed_set():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(role="owner")


def test_a_user_is_a_member_of_a_project_once():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            project=membership.project, user=membership.user, role=Membership.Role.REVIEWER
        )


def test_one_label_per_project_quote_annotator_and_dimension():
    user = UserFactory()
    project = project_create(name="P", created_by=user)
    quote = QuoteFactory()
    dimension = project.dimensions.get(key="stance")
    Label.objects.create(project=project, quote=quote, annotator=user, dimension=dimension)
    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.create(project=project, quote=quote, annotator=user, dimension=dimension)


def test_project_needs_at_least_one_annotator_per_quote():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(annotators_per_quote=0)
