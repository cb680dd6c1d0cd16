"""Roles: who is a member, who may do what, which projects and labels each person sees."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from annotations.access import membership_for, projects_visible_to, require_role
from annotations.labelling.labels import label_save, labels_visible_to
from annotations.labelling.projects import membership_set
from annotations.models import Membership
from tests.factories import UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def member(project, role):
    user = UserFactory()
    membership_set(project=project, user=user, role=role)
    return user


def test_membership_for_a_member_a_stranger_and_an_anonymous_visitor():
    project, _, (ann, _) = labelling_project()
    assert membership_for(ann, project).role == Membership.Role.ANNOTATOR
    assert membership_for(UserFactory(), project) is None
    assert membership_for(AnonymousUser(), project) is None


def test_require_role_passes_a_member_with_one_of_the_roles():
    project, _, (ann, _) = labelling_project()
    assert require_role(ann, project, "annotator", "reviewer").user == ann
    assert require_role(ann, project).user == ann  # no roles named: any member


def test_require_role_refuses_the_wrong_role_a_stranger_and_anonymous():
    project, _, (ann, _) = labelling_project()
    with pytest.raises(PermissionDenied):
        require_role(ann, project, "reviewer", "manager")
    with pytest.raises(PermissionDenied):
        require_role(UserFactory(), project)
    with pytest.raises(PermissionDenied):
        require_role(AnonymousUser(), project)


def test_superuser_passes_every_role_check_even_without_membership():
    project, _, _ = labelling_project()
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert require_role(admin, project, "reviewer").role == Membership.Role.MANAGER


def test_projects_visible_to_members_only_and_all_to_superusers():
    project, _, (ann, _) = labelling_project(name="Mine")
    other, _, _ = labelling_project(name="Theirs")
    assert list(projects_visible_to(ann)) == [project]
    assert list(projects_visible_to(UserFactory())) == []
    assert list(projects_visible_to(AnonymousUser())) == []
    assert set(projects_visible_to(UserFactory(is_superuser=True))) == {project, other}


# -- blind mode -----------------------------------------------------------------------------------
@pytest.fixture
def both_labelled(db):
    project, (quote, *_), (a, b) = labelling_project(blind_mode=True)
    label_save(project=project, quote=quote, annotator=a, labels=FULL)
    label_save(project=project, quote=quote, annotator=b, labels={**FULL, "stance": "against"})
    return project, a, b


def annotators_seen(project, user):
    return set(labels_visible_to(project=project, user=user).values_list("annotator", flat=True))


def test_annotator_cannot_see_others_labels_in_blind_mode(both_labelled):
    project, a, _ = both_labelled
    assert annotators_seen(project, a) == {a.id}


@pytest.mark.parametrize("role", ["reviewer", "manager"])
def test_reviewers_and_managers_see_everyones_labels_in_blind_mode(both_labelled, role):
    project, a, b = both_labelled
    assert annotators_seen(project, member(project, role)) == {a.id, b.id}


def test_annotators_see_each_others_labels_when_blind_mode_is_off(both_labelled):
    project, a, b = both_labelled
    project.blind_mode = False
    project.save()
    assert annotators_seen(project, a) == {a.id, b.id}


def test_strangers_and_anonymous_visitors_see_no_labels(both_labelled):
    project, _, _ = both_labelled
    assert annotators_seen(project, UserFactory()) == set()
    assert annotators_seen(project, AnonymousUser()) == set()
