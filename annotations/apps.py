from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Annotation"

    def ready(self) -> None:
        # The corpus asks projects who may see and change its shared objects (claims/access.py).
        from annotations.access import ProjectCorpusAccess
        from claims.access import register

        register(ProjectCorpusAccess())
