"""The default question set, after the regional feedback survey (N = 196 families, 2022)."""

from __future__ import annotations

DEFAULT_QUESTIONS: list[tuple[str, str, dict[str, str]]] = [
    (
        "felt_heard",
        "choice",
        {
            "fi": "Koitko tulleesi kuulluksi?",
            "sv": "Kände du dig hörd?",
            "en": "Did you feel heard?",
            "da": "Følte du dig hørt?",
        },
    ),
    (
        "parenting_tools",
        "choice",
        {
            "fi": "Saitko uusia välineitä vanhemmuuteen?",
            "sv": "Fick du nya verktyg för ditt föräldraskap?",
            "en": "Did you get new tools for parenting?",
            "da": "Fik du nye redskaber til dit forældreskab?",
        },
    ),
    (
        "mental_health_meaningful",
        "choice",
        {
            "fi": "Onko mielenterveyteen suhtautuminen muuttunut sinulle merkityksellisemmäksi?",
            "sv": "Har ditt förhållningssätt till psykisk hälsa blivit mer meningsfullt?",
            "en": "Has relating to mental health become more meaningful to you?",
            "da": "Er det blevet mere meningsfuldt for dig at forholde dig til mental sundhed?",
        },
    ),
    (
        "mental_health_know_how",
        "choice",
        {
            "fi": "Luotatko nyt enemmän omaan mielenterveysosaamiseesi?",
            "sv": "Litar du nu mer på din egen kunskap om psykisk hälsa?",
            "en": "Do you now trust your own mental-health know-how more?",
            "da": "Stoler du nu mere på din egen viden om mental sundhed?",
        },
    ),
    (
        "useful_for_child",
        "choice",
        {
            "fi": "Oliko tästä hyötyä lapselle?",
            "sv": "Var det här till nytta för barnet?",
            "en": "Was this useful for the child?",
            "da": "Var det til gavn for barnet?",
        },
    ),
    (
        "useful_for_family",
        "choice",
        {
            "fi": "Oliko tästä hyötyä perheelle?",
            "sv": "Var det här till nytta för familjen?",
            "en": "Was this useful for the family?",
            "da": "Var det til gavn for familien?",
        },
    ),
    (
        "useful_for_myself",
        "choice",
        {
            "fi": "Oliko tästä hyötyä sinulle itsellesi?",
            "sv": "Var det här till nytta för dig själv?",
            "en": "Was this useful for yourself?",
            "da": "Var det til gavn for dig selv?",
        },
    ),
    (
        "comments",
        "text",
        {
            "fi": "Haluatko kertoa vielä jotain? (Älä kirjoita nimiä.)",
            "sv": "Vill du berätta något mer? (Skriv inga namn.)",
            "en": "Is there anything else you would like to tell us? (Please do not write names.)",
            "da": "Er der andet, du vil fortælle os? (Skriv venligst ingen navne.)",
        },
    ),
]
