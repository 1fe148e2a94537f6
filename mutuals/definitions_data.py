"""The first version of each definition, loaded by a data migration (see ADR 0016)."""

PROGRAMME_V1 = {
    "key": "programme", "version": 1, "effective_from": "2018-01-01",
    "thresholds": {"min_employee_board_percent": 25, "min_employee_ownership_percent": 25,
                   "employee_council_counts": True},
    "rationale": (
        "The government's definition asks for an organisation that has left the public sector, "
        "continues to deliver public services and has 'a significant degree of staff influence "
        "or control'. It gives no number, and the outcome of the 2019 consultation on the "
        "definition was not found. This version reads 'significant' as employees holding at "
        "least a quarter of the board seats or at least a quarter of the ownership, or an "
        "employee council that the board must consult: a policy choice, not law. The one "
        "published example (an employee benefit trust owning 27.5% with board "
        "representation) meets it."),
    "source": (
        "Mutuals Support Programme 2 guidance, https://www.gov.uk/guidance/mutuals-support-"
        "programme-2; The future definition of public service mutuals (consultation, 2019), "
        "https://www.gov.uk/government/consultations/the-future-definition-of-public-service-"
        "mutuals"),
}
S33_V1 = {
    "key": "s33", "version": 1, "effective_from": "2025-02-24",
    "thresholds": {"min_reservable_percent": 50, "min_employee_board_percent": 50},
    "rationale": (
        "Section 33(6) of the Procurement Act 2023: a body that (a) operates for the purpose of "
        "delivering public services and mainly for the purpose of delivering reservable light "
        "touch services, (b) is run on a not-for-profit basis or distributes profits only to "
        "members, and (c) is under the management and control of its employees. The Act gives "
        "no numbers. This version reads 'mainly' as more than half of the organisation's income "
        "and 'management and control' as employees holding more than half of the board seats, "
        "since the board manages and controls a company or society. Both are policy choices."),
    "source": "Procurement Act 2023 s.33, https://www.legislation.gov.uk/ukpga/2023/54/section/33",
}
REG77_V1 = {
    "key": "reg77", "version": 1, "effective_from": "2015-02-26",
    "thresholds": {"min_reservable_percent": 0},
    "rationale": (
        "Regulation 77(4) of the Public Contracts Regulations 2015, for procurements begun "
        "before 24 February 2025: a public service mission linked to the reserved services; "
        "profits reinvested, or distributed on participatory considerations; management or "
        "ownership based on employee ownership or participatory principles, or the active "
        "participation of employees, users or stakeholders. This version reads the mission as "
        "some income from the reservable services and accepts any employee ownership, employee "
        "board seat, employee council or stakeholder participation as the third condition."),
    "source": "Public Contracts Regulations 2015 reg 77, https://www.legislation.gov.uk/uksi/"
              "2015/102/regulation/77",
}
FIRST_VERSIONS = (PROGRAMME_V1, S33_V1, REG77_V1)
