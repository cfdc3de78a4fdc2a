"""The benchmark dataset's Spanish vocabulary: names, titles, texts and responses,
combined at random (each Markdown text rendered once, not per row)."""

FIRST_NAMES = ("Ana", "Carlos", "María", "José", "Lucía", "Jorge", "Rosa", "Luis", "Sofía",
               "Ernesto", "Gabriela", "Juan", "Marta", "Pedro", "Carmen", "Diego", "Elena",
               "Hugo", "Isabel", "Manuel", "Andrea", "Fernando", "Paola", "Ricardo")
LAST_NAMES = ("Pérez", "Méndez", "Castillo", "Xicará", "Tzul", "Ortiz", "Coc", "Barrios",
              "Ajú", "López", "García", "Morales", "Hernández", "Cux", "Say", "Chávez",
              "Rodríguez", "Ixcoy", "Son", "Batz", "Quiché", "Velásquez")
ORGANIZATIONS = ("Acción Ciudadana", "Red Ciudadana", "Cámara de Industria",
                 "Municipalidad de Cobán", "Universidad de San Carlos de Guatemala",
                 "Ministerio de Finanzas Públicas", "Asociación de Desarrollo Comunitario",
                 None, None)
ACTIONS = ("Publicar", "Crear", "Fortalecer", "Implementar", "Digitalizar", "Abrir",
           "Monitorear", "Transparentar", "Capacitar sobre", "Simplificar")
OBJECTS = ("el presupuesto municipal", "las compras públicas", "los servicios de salud",
           "la contratación docente", "las licencias ambientales", "los datos de seguridad",
           "el registro de obras", "los programas sociales", "las becas de estudio",
           "el gasto en alimentación escolar", "los procesos electorales",
           "los trámites en línea", "las denuncias ciudadanas", "los fideicomisos públicos")
QUALIFIERS = ("en datos abiertos", "con participación comunitaria", "en idiomas mayas",
              "con tablero público", "en todos los departamentos", "con auditoría social",
              "para la juventud", "con indicadores de seguimiento", "en Alta Verapaz",
              "en Quetzaltenango", "con rendición de cuentas trimestral")
PROBLEMS = (
    "La información sobre **{o}** está dispersa y llega tarde a la ciudadanía.",
    "Las comunidades no pueden dar seguimiento a {o}; no hay datos *comparables* por año.",
    "Existen denuncias repetidas sobre {o} y ningún mecanismo de respuesta pública.",
    "El acceso a {o} depende de trámites en papel que excluyen a las áreas rurales.",
)
CAUSES = (
    "Falta de estándares de publicación y de capacidades técnicas en las instituciones.",
    "Procesos manuales, poca coordinación interinstitucional y ausencia de presupuesto.",
    "",
)
DESCRIPTIONS = (
    "Proponemos:\n\n- publicar {o} cada mes;\n- abrir un canal de consultas;\n"
    "- presentar avances en la mesa técnica.",
    "Un portal único donde se consulte {o}, con descarga en formatos abiertos y una "
    "[guía de uso](https://www.gobiernoabierto.gob.gt).",
    "Crear un comité de seguimiento con sociedad civil que revise {o} cada trimestre.",
)
CONTRIBUTIONS = (
    "Permite que la ciudadanía vigile {o} y que las autoridades respondan a tiempo.",
    "Reduce la discrecionalidad y mejora la confianza en las instituciones.",
    "",
)
COMMENT_TEXTS = (
    "Apoyo esta propuesta; en mi municipio el problema es exactamente este.",
    "¿Qué institución tendría el presupuesto para implementarla?",
    "Sugiero incluir **indicadores** medibles desde el primer año.",
    "No estoy de acuerdo: ya existe una ley que cubre este tema.",
    "Desde la academia podemos apoyar con la metodología de evaluación.",
    "Sería importante publicar la información también en *idiomas mayas*.",
    "Propongo fusionarla con otra propuesta similar de esta temática.",
    "Excelente iniciativa. ¿Cómo participarían los gobiernos locales?",
    "Hay experiencias en otros países: ver https://www.opengovpartnership.org",
    "La mesa técnica debería priorizar esta propuesta.\n\nGracias por el trabajo.",
)
RESPONSES = {
    "accepted": "La mesa técnica **acepta** la propuesta y la integra al borrador del plan "
                "como compromiso, con la institución responsable indicada.",
    "rejected": "La propuesta no se incluye: su alcance excede el periodo 2018-2020. "
                "Se recomienda presentarla en el próximo plan.",
    "under_review": "",
}
ALIGNMENTS = ("in_favor", "in_favor", "neutral", "against")
FLAG_REASONS = ("spam", "offensive", "off_topic", "duplicate", "other")
