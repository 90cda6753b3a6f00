"""A small pack with E10, E11 and E12 for their tests (no Qt)."""

from __future__ import annotations

from rmdesk.content.pack import (
    ContentPack,
    Exercise,
    LocalizedText,
    MaturityDimension,
    builtin_pack,
)


def text(en: str, es: str, pt: str, fr: str) -> LocalizedText:
    return LocalizedText(en=en, es=es, pt_BR=pt, fr=fr)


DIMENSIONS = [
    MaturityDimension(
        id="governance",
        name=text("Governance", "Gobernanza", "Governança", "Gouvernance"),
        levels=[text(f"Governance level {n}", f"Gobernanza nivel {n}",
                     f"Governança nível {n}", f"Gouvernance niveau {n}") for n in range(1, 6)],
    ),
    MaturityDimension(
        id="data",
        name=text("Data and IT", "Datos y TI", "Dados e TI", "Données et SI"),
        levels=[text(f"Data level {n}", f"Datos nivel {n}", f"Dados nível {n}",
                     f"Données niveau {n}") for n in range(1, 6)],
    ),
    MaturityDimension(
        id="people",
        name=text("People and skills", "Personas", "Pessoas", "Personnes"),
        levels=[text(f"People level {n}", f"Personas nivel {n}", f"Pessoas nível {n}",
                     f"Personnes niveau {n}") for n in range(1, 6)],
    ),
]

TEMPLATES = [
    text("Sign the data-exchange arrangement", "Firmar el acuerdo de intercambio",
         "Assinar o acordo de intercâmbio", "Signer l'accord d'échange"),
    text("Agree joint indicators", "Acordar indicadores comunes",
         "Acordar indicadores comuns", "Convenir des indicateurs communs"),
    text("Run the operation", "Ejecutar la operación", "Executar a operação",
         "Mener l'opération"),
]


def e1x_pack() -> ContentPack:
    """The built-in pack with E10, E11 and E12 added (its other exercises kept)."""
    base = builtin_pack()
    extra = [
        Exercise(id="e10", kind="kpi_plan",
                 title=text("Monitoring KPIs", "KPI de seguimiento", "KPIs de monitoramento",
                            "KPI de suivi"),
                 instructions=text("Plan the KPIs.", "Planifique.", "Planeje.", "Planifiez.")),
        Exercise(id="e11", kind="regional_project",
                 title=text("Regional project", "Proyecto regional", "Projeto regional",
                            "Projet régional"),
                 instructions=text("Plan it.", "Planifique.", "Planeje.", "Planifiez."),
                 milestone_templates=TEMPLATES),
        Exercise(id="e12", kind="maturity",
                 title=text("Maturity", "Madurez", "Maturidade", "Maturité"),
                 instructions=text("Rate it.", "Evalúe.", "Avalie.", "Évaluez."),
                 dimensions=DIMENSIONS),
    ]
    kept = [e for e in base.exercises if e.kind not in {x.kind for x in extra}]
    return base.model_copy(update={"exercises": kept + extra})


def pseudo(pack: ContentPack) -> ContentPack:
    """French texts of the pack replaced by ⟦English⟧."""
    from pydantic import BaseModel

    def transform(node):  # noqa: ANN001, ANN202
        if isinstance(node, LocalizedText):
            return node.model_copy(update={"fr": f"⟦{node.en}⟧"})
        if isinstance(node, list):
            return [transform(n) for n in node]
        if isinstance(node, BaseModel):
            return node.model_copy(update={
                name: transform(getattr(node, name)) for name in type(node).model_fields})
        return node

    return transform(pack)
