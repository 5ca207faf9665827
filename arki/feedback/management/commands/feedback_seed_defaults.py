from django.core.management.base import BaseCommand

from arki.feedback.services import feedback_seed_defaults


class Command(BaseCommand):
    help = "Create the default family feedback question set (once)."

    def handle(self, *args, **options):
        question_set = feedback_seed_defaults()
        self.stdout.write(f"default question set v{question_set.version} ready")
