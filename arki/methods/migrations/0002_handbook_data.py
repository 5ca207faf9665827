"""The handbook as data: appraisal areas, the evidence scale and other registries' scales.

A region may edit these rows (in the admin); the code applies whatever they say.
"""

from django.db import migrations

AREAS = [
    ("description", 1, {"fi": "Kuvaus", "sv": "Beskrivning", "en": "Description", "da": "Beskrivelse"}),
    ("theory", 2, {"fi": "Teoreettinen perusta", "sv": "Teoretisk grund", "en": "Theoretical basis", "da": "Teoretisk grundlag"}),
    ("effectiveness", 3, {"fi": "Vaikuttavuus", "sv": "Effektivitet", "en": "Effectiveness", "da": "Effekt"}),
    ("implementation", 4, {"fi": "Käyttöönoton valmius", "sv": "Beredskap för införande", "en": "Implementation readiness", "da": "Parathed til implementering"}),
]

# Scores are 0-3 per area. Cumulative levels (rank > 0) require every lower level's scores.
LEVELS = [
    ("described", 1, {"description": 2},
     {"fi": "Hyvin kuvattu", "sv": "Väl beskriven", "en": "Well described", "da": "Velbeskrevet"}),
    ("theory", 2, {"theory": 2},
     {"fi": "Teoreettisesti perusteltu", "sv": "Teoretiskt grundad", "en": "Theoretically grounded", "da": "Teoretisk funderet"}),
    ("low", 3, {"effectiveness": 1},
     {"fi": "Vähäinen dokumentoitu näyttö", "sv": "Begränsad dokumenterad evidens", "en": "Low documented evidence", "da": "Begrænset dokumenteret evidens"}),
    ("moderate", 4, {"effectiveness": 2, "implementation": 2},
     {"fi": "Kohtalainen dokumentoitu näyttö", "sv": "Måttlig dokumenterad evidens", "en": "Moderate documented evidence", "da": "Moderat dokumenteret evidens"}),
    ("strong", 5, {"effectiveness": 3},
     {"fi": "Vahva dokumentoitu näyttö", "sv": "Stark dokumenterad evidens", "en": "Strong documented evidence", "da": "Stærk dokumenteret evidens"}),
    ("no-effect", 0, {"description": 2, "effectiveness": 0},
     {"fi": "Ei vaikutusta", "sv": "Ingen effekt", "en": "No effect", "da": "Ingen effekt"}),
    ("negative", 0, {"effectiveness": 0},
     {"fi": "Haitallisia vaikutuksia", "sv": "Negativa effekter", "en": "Negative effects", "da": "Negative effekter"}),
]

REGISTRIES = [
    ("cebc", "CEBC (California Evidence-Based Clearinghouse)", "https://www.cebc4cw.org/", ["1", "2", "3", "4", "5", "NR"]),
    ("blueprints", "Blueprints for Healthy Youth Development", "https://www.blueprintsprograms.org/", ["Promising", "Model", "Model Plus"]),
    ("eif", "Early Intervention Foundation Guidebook", "https://guidebook.eif.org.uk/", ["2", "3", "4"]),
    ("kasvuntuki", "Kasvun tuki", "https://kasvuntuki.fi/", ["described", "theory", "low", "moderate", "strong", "no-effect", "negative"]),
]


def seed(apps, schema_editor):
    AppraisalArea = apps.get_model("methods", "AppraisalArea")
    EvidenceLevel = apps.get_model("methods", "EvidenceLevel")
    RatingRegistry = apps.get_model("methods", "RatingRegistry")
    for code, order, names in AREAS:
        AppraisalArea.objects.update_or_create(code=code, defaults={"order": order, "names": names, "max_score": 3})
    for code, rank, requires, names in LEVELS:
        EvidenceLevel.objects.update_or_create(code=code, defaults={"rank": rank, "requires": requires, "names": names})
    for code, name, url, scale in REGISTRIES:
        RatingRegistry.objects.update_or_create(code=code, defaults={"name": name, "url": url, "scale": scale})


class Migration(migrations.Migration):
    dependencies = [("methods", "0001_catalogue")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
