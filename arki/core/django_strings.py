"""Django's own strings that its Finnish and Swedish catalogues do not translate yet.

Listed here so that makemessages keeps them in Arki's catalogue, which Django consults first.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),
]
