"""The PICO vocabularies: who a claim is about (population), what it is about (intervention, or
an exposure such as sitting), compared with what (comparator) and for which result (outcome).

Each claim names its question in these terms (``population: [...]`` and so on in its file); the
claim page, the exports, the evidence map and the methodology page show them with the labels and
meanings below. :mod:`build_tools.core.vocabulary` offers these tables with the others.
"""

from __future__ import annotations

from build_tools.core.terms import Term, index

POPULATIONS: dict[str, Term] = index((
    Term("chronic-low-back-pain", "Adults with chronic low back pain",
         "Low back pain that has lasted three months or more, or keeps coming back."),
    Term("acute-low-back-pain", "Adults with acute low back pain",
         "A new episode or flare-up of low back pain, of weeks rather than months."),
    Term("low-back-pain", "Adults with low back pain",
         "Low back pain of any duration, or of a duration the claim does not say."),
    Term("recovered-low-back-pain", "Adults recovered from low back pain",
         "People who have recently recovered from an episode and may have another."),
    Term("sciatica", "Adults with sciatica or a disc herniation",
         "Leg pain from an irritated or pressed nerve root, usually from a disc."),
    Term("spinal-stenosis", "Adults with lumbar spinal stenosis",
         "A narrowed spinal canal in the lower back, with leg pain on walking or standing."),
    Term("after-back-surgery", "People recovering from back surgery",
         "The weeks and months after an operation on the lower back."),
    Term("vertebral-fracture", "People with vertebral compression fractures",
         "Collapsed vertebrae, usually from osteoporosis."),
    Term("musculoskeletal-pain", "Adults with joint or muscle pain",
         "Pain of the joints, muscles or spine in general, not only the low back."),
    Term("general-population", "Adults in general",
         "Adults with or without back pain: the general public."),
    Term("older-adults", "Older adults", "Adults aged about 50 or 60 and over."),
    Term("office-workers", "Office workers", "People who sit for much of the working day."),
))

INTERVENTIONS: dict[str, Term] = index((
    Term("walking", "Walking", "Walking in general, as everyday activity or as exercise."),
    Term("walking-programme", "Walking programme",
         "A planned programme: how long, how often and how fast to walk, built up over weeks, "
         "often with coaching."),
    Term("treadmill-walking", "Treadmill walking", "Walking on a treadmill, indoors."),
    Term("walking-breaks", "Walking breaks",
         "Short walks that break up sitting, at work or at home."),
    Term("step-counting", "Step counting", "Pedometers, step counters and daily step goals."),
    Term("walking-technique", "How to walk",
         "Posture, stride, arm swing, foot strike, surface, slope or direction while walking."),
    Term("exercise-therapy", "Exercise therapy",
         "Stretching, strengthening, core, Pilates, yoga, warm-ups or supervised exercise, other "
         "than walking."),
    Term("other-aerobic-exercise", "Swimming, cycling or running",
         "Aerobic exercise other than walking."),
    Term("mindfulness", "Mindfulness", "Mindfulness-based stress reduction and meditation."),
    Term("staying-active", "Staying active",
         "Keeping up normal activities rather than resting in bed."),
    Term("pain-medication", "Pain medicines",
         "Paracetamol, anti-inflammatories (NSAIDs), opioids and rub-on products."),
    Term("surgery", "Surgery and procedures",
         "Spinal fusion, decompression, disc replacement, vertebroplasty, kyphoplasty, spacers."),
    Term("footwear", "Shoes and insoles",
         "Walking shoes, their fit, cushioning and support, and insoles."),
    Term("back-products", "Back products",
         "Lumbar pillows and supports, belts, mattresses and ergonomic aids."),
    Term("digital-programme", "Digital care programme",
         "An app-based exercise programme with remote physiotherapists."),
    Term("nature", "Time in nature", "Time in parks, forests, gardens or other green spaces."),
    Term("weight-control", "Weight control", "Losing weight or keeping a healthy weight."),
    Term("lifestyle", "Sleep, diet and hydration", "Sleeping, eating and drinking habits."),
    Term("physical-activity", "Physical activity",
         "Physical activity in general: daily steps, cardio and sport."),
    Term("posture", "Posture", "Holding a particular posture while sitting or standing."),
    Term("sitting", "Sitting", "Sitting for long periods (an exposure, not a treatment)."),
    Term("fear-of-movement", "Fear of movement",
         "Worry that activity will hurt or harm the back (an exposure)."),
    Term("warning-signs", "Warning signs",
         "Symptoms that may point to a serious cause, such as fever, weight loss, an injury, "
         "bladder problems or leg weakness (red flags)."),
    Term("seeing-a-clinician", "Seeing a clinician",
         "Seeing a doctor or physiotherapist for assessment."),
    Term("spine-changes", "Changes in the spine",
         "Disc herniations, worn discs and joints and other changes seen on scans (an exposure)."),
))

COMPARATORS: dict[str, Term] = index((
    Term("no-treatment", "No treatment",
         "No treatment, a waiting list, usual activity or minimal advice."),
    Term("usual-care", "Usual care",
         "The usual treatment, such as physiotherapy or a doctor's care."),
    Term("other-exercise", "Other exercise", "Another exercise programme or activity."),
    Term("other-treatment", "Another treatment", "A treatment other than exercise."),
    Term("placebo", "Placebo or sham", "A dummy treatment or a sham procedure."),
    Term("bed-rest", "Bed rest", "Resting in bed."),
    Term("continued-sitting", "Sitting without breaks", "Carrying on sitting."),
    Term("indoors", "Indoors", "The same activity indoors or in a built-up place."),
    Term("other-dose", "Another amount or way",
         "More or less of the same activity, or done differently: shorter, longer, less often."),
))

OUTCOMES: dict[str, Term] = index((
    Term("pain", "Pain", "How much it hurts: pain, discomfort and stiffness."),
    Term("disability", "Disability and function",
         "What a person can do in daily life: bending, sitting, walking, working."),
    Term("quality-of-life", "Quality of life", "How people rate their life and health overall."),
    Term("recurrence", "Recurrence", "Another episode after recovering from one."),
    Term("new-back-pain", "Getting back pain", "A first or new episode of low back pain."),
    Term("sick-leave", "Sick leave", "Days off work because of back pain."),
    Term("adverse-events", "Harms", "Side effects, injuries, or pain made worse."),
    Term("activity-level", "Activity level",
         "How much people move: steps, minutes of activity, keeping up a programme."),
    Term("spinal-load", "Spinal load and mechanics",
         "Forces, disc pressure, muscle activity, posture and movement of the spine."),
    Term("body-weight", "Body weight and energy use",
         "Weight, body mass index and calories burned."),
    Term("cardiovascular-health", "Heart and circulation",
         "Blood pressure, fitness and heart disease."),
    Term("bone-health", "Bones", "Bone density and fractures."),
    Term("mortality", "Death", "The risk of dying early."),
    Term("mental-wellbeing", "Mood, stress and wellbeing",
         "Mood, stress, energy, anxiety and depression."),
    Term("sleep", "Sleep", "How long and how well people sleep."),
    Term("immune-function", "Immunity and inflammation",
         "Immune and inflammation markers, and infections."),
    Term("cognition", "Focus and productivity", "Attention, focus and getting work done."),
    Term("recovery", "Healing and recovery",
         "Healing of tissues and recovery from illness or surgery."),
    Term("serious-disease", "Serious cause found",
         "Whether a serious cause is present: cancer, infection, fracture or a pressed nerve."),
    Term("prevalence", "How common", "How many people have low back pain."),
    Term("cost", "Cost", "Money and clinicians' time."),
    Term("access", "Access", "How easily people can get the care or do the activity."),
))

PICO: dict[str, dict[str, Term]] = {
    "population": POPULATIONS,
    "intervention": INTERVENTIONS,
    "comparator": COMPARATORS,
    "outcome": OUTCOMES,
}
"""The four PICO fields of a claim file, each with its vocabulary, in the order pages show them."""

PICO_LABELS: dict[str, str] = {
    "population": "Population",
    "intervention": "Intervention or exposure",
    "comparator": "Compared with",
    "outcome": "Outcome",
}
"""How each PICO field is named on pages."""
