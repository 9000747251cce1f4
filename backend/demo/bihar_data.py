"""Realistic organisation data for the Bihar demo.

Source: the administrative set-up of the Government of Bihar -- its 9
divisions and 38 districts, the community development blocks (prakhand) of
Patna and Gaya districts, and the departments / heads of department that
handle most public grievances. English names follow the official
transliteration used by the state government and the Census of India; Hindi
names are given in Devanagari as used on official district portals.

This module is deliberately pure data (frozen dataclasses and constants, no
I/O and no ORM imports) so that the demo loader and the tests can both read
it without side effects.

Code conventions
----------------
* District codes are 3-letter uppercase ASCII ("PAT" for Patna).
* Block codes are ``f"{district.code}-{SLUG}"`` ("PAT-BIHTA").
* A district's area code is ``f"BR-{district.code}"`` and a block's area
  code is ``f"BR-{block.code}"`` (see :data:`AREA_CODE_PREFIX` and
  :func:`area_code`).
* A department's district office code is
  ``f"{district.code}-{department.district_office.suffix}"`` ("PAT-SP").
* Every code in this module (districts, blocks, departments, directorates,
  top-level units) is unique.
"""

from dataclasses import dataclass
from typing import Final

__all__ = [
    "AREA_CODE_PREFIX",
    "BLOCKS",
    "CALL_CENTRE",
    "CS_CELL",
    "DEPARTMENTS",
    "DISTRICTS",
    "DIVISIONS",
    "NATIONAL_NODAL",
    "OSD_OFFICE",
    "STATE",
    "STATE_NODAL",
    "TOP_UNITS",
    "Block",
    "Department",
    "Directorate",
    "District",
    "DistrictOffice",
    "TopUnit",
    "area_code",
]


# ---------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class District:
    """A revenue district of Bihar."""

    code: str
    name_en: str
    name_hi: str
    division: str


@dataclass(frozen=True, slots=True)
class Block:
    """A community development block (prakhand) within a district."""

    code: str
    name_en: str
    name_hi: str


@dataclass(frozen=True, slots=True)
class Directorate:
    """A directorate, head of department or state undertaking."""

    code: str
    name_en: str
    name_hi: str


@dataclass(frozen=True, slots=True)
class DistrictOffice:
    """The district-level office of a department.

    The templates contain ``{district}``, to be filled with the district's
    English (``name_en_template``) or Hindi (``name_hi_template``) name.
    """

    suffix: str
    name_en_template: str
    name_hi_template: str
    role_title_en: str


@dataclass(frozen=True, slots=True)
class Department:
    """A department of the Government of Bihar."""

    code: str
    name_en: str
    name_hi: str
    directorates: tuple[Directorate, ...]
    district_office: DistrictOffice


@dataclass(frozen=True, slots=True)
class TopUnit:
    """A unit above the department level (national / state nodal etc.)."""

    code: str
    name_en: str
    name_hi: str


# ---------------------------------------------------------------------------
# Area codes
# ---------------------------------------------------------------------------

AREA_CODE_PREFIX: Final = "BR"


def area_code(code: str) -> str:
    """Area code of a district or block code: ``"PAT"`` -> ``"BR-PAT"``."""
    return f"{AREA_CODE_PREFIX}-{code}"


# ---------------------------------------------------------------------------
# Top-level units
# ---------------------------------------------------------------------------

NATIONAL_NODAL: Final = TopUnit(
    code="DARPG",
    name_en="Department of Administrative Reforms and Public Grievances",
    name_hi="प्रशासनिक सुधार एवं लोक शिकायत विभाग",
)
STATE_NODAL: Final = TopUnit(
    code="GOB",
    name_en="Government of Bihar - Chief Secretary's Office",
    name_hi="बिहार सरकार - मुख्य सचिव कार्यालय",
)
CS_CELL: Final = TopUnit(
    code="CS-CELL",
    name_en="Chief Secretary's Grievance Cell",
    name_hi="मुख्य सचिव शिकायत प्रकोष्ठ",
)
OSD_OFFICE: Final = TopUnit(
    code="OSD-CS",
    name_en="Office of the OSD to the Chief Secretary",
    name_hi="मुख्य सचिव के विशेष कार्य पदाधिकारी का कार्यालय",
)
CALL_CENTRE: Final = TopUnit(
    code="CALL-CENTRE",
    name_en="Bihar State Grievance Call Centre",
    name_hi="बिहार राज्य शिकायत कॉल सेंटर",
)

TOP_UNITS: Final[tuple[TopUnit, ...]] = (
    NATIONAL_NODAL,
    STATE_NODAL,
    CS_CELL,
    OSD_OFFICE,
    CALL_CENTRE,
)

STATE: Final[dict[str, str]] = {
    "national_nodal_en": NATIONAL_NODAL.name_en,
    "national_nodal_hi": NATIONAL_NODAL.name_hi,
    "state_nodal_en": STATE_NODAL.name_en,
    "state_nodal_hi": STATE_NODAL.name_hi,
    "cs_cell_en": CS_CELL.name_en,
    "cs_cell_hi": CS_CELL.name_hi,
    "osd_office_en": OSD_OFFICE.name_en,
    "osd_office_hi": OSD_OFFICE.name_hi,
    "call_centre_en": CALL_CENTRE.name_en,
    "call_centre_hi": CALL_CENTRE.name_hi,
}


# ---------------------------------------------------------------------------
# Divisions and districts (9 divisions, 38 districts)
# ---------------------------------------------------------------------------

DIVISIONS: Final[tuple[str, ...]] = (
    "Patna",
    "Magadh",
    "Tirhut",
    "Saran",
    "Darbhanga",
    "Kosi",
    "Purnia",
    "Bhagalpur",
    "Munger",
)

DISTRICTS: Final[tuple[District, ...]] = (
    # Patna division (6)
    District("PAT", "Patna", "पटना", "Patna"),
    District("NAL", "Nalanda", "नालंदा", "Patna"),
    District("BHO", "Bhojpur", "भोजपुर", "Patna"),
    District("ROH", "Rohtas", "रोहतास", "Patna"),
    District("BUX", "Buxar", "बक्सर", "Patna"),
    District("KAI", "Kaimur", "कैमूर", "Patna"),
    # Magadh division (5)
    District("GAY", "Gaya", "गया", "Magadh"),
    District("NAW", "Nawada", "नवादा", "Magadh"),
    District("AUR", "Aurangabad", "औरंगाबाद", "Magadh"),
    District("JEH", "Jehanabad", "जहानाबाद", "Magadh"),
    District("ARW", "Arwal", "अरवल", "Magadh"),
    # Tirhut division (6)
    District("MUZ", "Muzaffarpur", "मुजफ्फरपुर", "Tirhut"),
    District("ECH", "East Champaran", "पूर्वी चंपारण", "Tirhut"),
    District("WCH", "West Champaran", "पश्चिमी चंपारण", "Tirhut"),
    District("SIT", "Sitamarhi", "सीतामढ़ी", "Tirhut"),
    District("SHE", "Sheohar", "शिवहर", "Tirhut"),
    District("VAI", "Vaishali", "वैशाली", "Tirhut"),
    # Saran division (3)
    District("SAR", "Saran", "सारण", "Saran"),
    District("SIW", "Siwan", "सीवान", "Saran"),
    District("GOP", "Gopalganj", "गोपालगंज", "Saran"),
    # Darbhanga division (3)
    District("DAR", "Darbhanga", "दरभंगा", "Darbhanga"),
    District("MDB", "Madhubani", "मधुबनी", "Darbhanga"),
    District("SAM", "Samastipur", "समस्तीपुर", "Darbhanga"),
    # Kosi division (3)
    District("SAH", "Saharsa", "सहरसा", "Kosi"),
    District("MDP", "Madhepura", "मधेपुरा", "Kosi"),
    District("SUP", "Supaul", "सुपौल", "Kosi"),
    # Purnia division (4)
    District("PUR", "Purnia", "पूर्णिया", "Purnia"),
    District("KAT", "Katihar", "कटिहार", "Purnia"),
    District("ARA", "Araria", "अररिया", "Purnia"),
    District("KIS", "Kishanganj", "किशनगंज", "Purnia"),
    # Bhagalpur division (2)
    District("BGP", "Bhagalpur", "भागलपुर", "Bhagalpur"),
    District("BAN", "Banka", "बांका", "Bhagalpur"),
    # Munger division (6)
    District("MUN", "Munger", "मुंगेर", "Munger"),
    District("JAM", "Jamui", "जमुई", "Munger"),
    District("KHA", "Khagaria", "खगड़िया", "Munger"),
    District("LAK", "Lakhisarai", "लखीसराय", "Munger"),
    District("BEG", "Begusarai", "बेगूसराय", "Munger"),
    District("SKP", "Sheikhpura", "शेखपुरा", "Munger"),
)


# ---------------------------------------------------------------------------
# Community development blocks
# ---------------------------------------------------------------------------

_PATNA_BLOCKS: Final[tuple[Block, ...]] = (
    Block("PAT-ATHMALGOLA", "Athmalgola", "अथमलगोला"),
    Block("PAT-BAKHTIYARPUR", "Bakhtiyarpur", "बख्तियारपुर"),
    Block("PAT-BARH", "Barh", "बाढ़"),
    Block("PAT-BELCHHI", "Belchhi", "बेलछी"),
    Block("PAT-BIHTA", "Bihta", "बिहटा"),
    Block("PAT-BIKRAM", "Bikram", "बिक्रम"),
    Block("PAT-DANAPUR", "Danapur", "दानापुर"),
    Block("PAT-DANIYAWAN", "Daniyawan", "दनियावां"),
    Block("PAT-DHANARUA", "Dhanarua", "धनरूआ"),
    Block("PAT-DULHINBAZAR", "Dulhin Bazar", "दुल्हिन बाजार"),
    Block("PAT-FATUHA", "Fatuha", "फतुहा"),
    Block("PAT-GHOSWARI", "Ghoswari", "घोसवरी"),
    Block("PAT-KHUSRUPUR", "Khusrupur", "खुसरूपुर"),
    Block("PAT-MANER", "Maner", "मनेर"),
    Block("PAT-MASAURHI", "Masaurhi", "मसौढ़ी"),
    Block("PAT-MOKAMA", "Mokama", "मोकामा"),
    Block("PAT-NAUBATPUR", "Naubatpur", "नौबतपुर"),
    Block("PAT-PALIGANJ", "Paliganj", "पालीगंज"),
    Block("PAT-PANDARAK", "Pandarak", "पंडारक"),
    Block("PAT-PATNASADAR", "Patna Sadar", "पटना सदर"),
    Block("PAT-PHULWARI", "Phulwari Sharif", "फुलवारी शरीफ"),
    Block("PAT-PUNPUN", "Punpun", "पुनपुन"),
    Block("PAT-SAMPATCHAK", "Sampatchak", "संपतचक"),
)

_GAYA_BLOCKS: Final[tuple[Block, ...]] = (
    Block("GAY-AMAS", "Amas", "आमस"),
    Block("GAY-ATRI", "Atri", "अतरी"),
    Block("GAY-BANKEBAZAR", "Banke Bazar", "बांके बाजार"),
    Block("GAY-BARACHATTI", "Barachatti", "बाराचट्टी"),
    Block("GAY-BELAGANJ", "Belaganj", "बेलागंज"),
    Block("GAY-BODHGAYA", "Bodh Gaya", "बोधगया"),
    Block("GAY-DOBHI", "Dobhi", "डोभी"),
    Block("GAY-DUMARIA", "Dumaria", "डुमरिया"),
    Block("GAY-FATEHPUR", "Fatehpur", "फतेहपुर"),
    # Also known as Gaya Sadar block.
    Block("GAY-GAYATOWN", "Gaya Town", "गया नगर"),
    Block("GAY-GURARU", "Guraru", "गुरारू"),
    Block("GAY-GURUA", "Gurua", "गुरुआ"),
    Block("GAY-IMAMGANJ", "Imamganj", "इमामगंज"),
    Block("GAY-KHIZIRSARAI", "Khizirsarai", "खिजरसराय"),
    Block("GAY-KONCH", "Konch", "कोंच"),
    Block("GAY-MANPUR", "Manpur", "मानपुर"),
    Block("GAY-MOHANPUR", "Mohanpur", "मोहनपुर"),
    Block("GAY-MUHRA", "Muhra", "मोहड़ा"),
    Block("GAY-NEEMCHAK", "Neemchak Bathani", "नीमचक बथानी"),
    Block("GAY-PARAIYA", "Paraiya", "परैया"),
    Block("GAY-SHERGHATI", "Sherghati", "शेरघाटी"),
    Block("GAY-TANKUPPA", "Tankuppa", "टनकुप्पा"),
    Block("GAY-TEKARI", "Tekari", "टिकारी"),
    Block("GAY-WAZIRGANJ", "Wazirganj", "वजीरगंज"),
)

BLOCKS: Final[dict[str, tuple[Block, ...]]] = {
    "PAT": _PATNA_BLOCKS,
    "GAY": _GAYA_BLOCKS,
}


# ---------------------------------------------------------------------------
# Departments
# ---------------------------------------------------------------------------

DEPARTMENTS: Final[tuple[Department, ...]] = (
    Department(
        code="REV",
        name_en="Revenue and Land Reforms Department",
        name_hi="राजस्व एवं भूमि सुधार विभाग",
        directorates=(
            Directorate(
                "REV-DLRS",
                "Directorate of Land Records and Survey",
                "भू-अभिलेख एवं परिमाप निदेशालय",
            ),
            Directorate(
                "REV-CONSOL",
                "Directorate of Consolidation",
                "चकबंदी निदेशालय",
            ),
        ),
        district_office=DistrictOffice(
            suffix="DLRO",
            name_en_template="District Land Records Office, {district}",
            name_hi_template="जिला भू-अभिलेख कार्यालय, {district}",
            role_title_en="District Land Records Officer",
        ),
    ),
    Department(
        code="HOME",
        name_en="Home Department (Police)",
        name_hi="गृह विभाग",
        directorates=(
            Directorate(
                "HOME-PHQ",
                "Police Headquarters, Bihar (Director General of Police)",
                "पुलिस मुख्यालय, बिहार (पुलिस महानिदेशक)",
            ),
            Directorate(
                "HOME-FIRE",
                "Bihar Fire Service",
                "बिहार अग्निशमन सेवा",
            ),
        ),
        district_office=DistrictOffice(
            suffix="SP",
            name_en_template="Office of the Superintendent of Police, {district}",
            name_hi_template="पुलिस अधीक्षक कार्यालय, {district}",
            role_title_en="Superintendent of Police",
        ),
    ),
    Department(
        code="HEALTH",
        name_en="Health Department",
        name_hi="स्वास्थ्य विभाग",
        directorates=(
            Directorate(
                "HEALTH-SHSB",
                "State Health Society, Bihar",
                "राज्य स्वास्थ्य समिति, बिहार",
            ),
            Directorate(
                "HEALTH-DHS",
                "Directorate of Health Services",
                "स्वास्थ्य सेवाएं निदेशालय",
            ),
            Directorate(
                "HEALTH-BMSICL",
                "Bihar Medical Services and Infrastructure Corporation Ltd.",
                "बिहार चिकित्सा सेवाएं एवं आधारभूत संरचना निगम लिमिटेड",
            ),
        ),
        district_office=DistrictOffice(
            suffix="CS",
            name_en_template="Office of the Civil Surgeon, {district}",
            name_hi_template="सिविल सर्जन कार्यालय, {district}",
            role_title_en="Civil Surgeon-cum-Chief Medical Officer",
        ),
    ),
    Department(
        code="EDU",
        name_en="Education Department",
        name_hi="शिक्षा विभाग",
        directorates=(
            Directorate(
                "EDU-DPE",
                "Directorate of Primary Education",
                "प्राथमिक शिक्षा निदेशालय",
            ),
            Directorate(
                "EDU-DSE",
                "Directorate of Secondary Education",
                "माध्यमिक शिक्षा निदेशालय",
            ),
            Directorate(
                "EDU-BEPC",
                "Bihar Education Project Council",
                "बिहार शिक्षा परियोजना परिषद",
            ),
        ),
        district_office=DistrictOffice(
            suffix="DEO",
            name_en_template="Office of the District Education Officer, {district}",
            name_hi_template="जिला शिक्षा पदाधिकारी कार्यालय, {district}",
            role_title_en="District Education Officer",
        ),
    ),
    Department(
        code="ENERGY",
        name_en="Energy Department",
        name_hi="ऊर्जा विभाग",
        directorates=(
            Directorate(
                "ENERGY-BSPHCL",
                "Bihar State Power (Holding) Company Ltd.",
                "बिहार स्टेट पावर (होल्डिंग) कंपनी लिमिटेड",
            ),
            Directorate(
                "ENERGY-NBPDCL",
                "North Bihar Power Distribution Company Ltd.",
                "नॉर्थ बिहार पावर डिस्ट्रीब्यूशन कंपनी लिमिटेड",
            ),
            Directorate(
                "ENERGY-SBPDCL",
                "South Bihar Power Distribution Company Ltd.",
                "साउथ बिहार पावर डिस्ट्रीब्यूशन कंपनी लिमिटेड",
            ),
        ),
        district_office=DistrictOffice(
            suffix="ESD",
            name_en_template="Electrical Supply Division, {district}",
            name_hi_template="विद्युत आपूर्ति प्रमंडल, {district}",
            role_title_en="Executive Engineer (Electrical Supply Division)",
        ),
    ),
    Department(
        code="FOOD",
        name_en="Food and Consumer Protection Department",
        name_hi="खाद्य एवं उपभोक्ता संरक्षण विभाग",
        directorates=(
            Directorate(
                "FOOD-BSFC",
                "Bihar State Food and Civil Supplies Corporation Ltd.",
                "बिहार राज्य खाद्य एवं असैनिक आपूर्ति निगम लिमिटेड",
            ),
            Directorate(
                "FOOD-LM",
                "Directorate of Legal Metrology",
                "विधिक माप विज्ञान निदेशालय",
            ),
        ),
        district_office=DistrictOffice(
            suffix="DSO",
            name_en_template="District Supply Office, {district}",
            name_hi_template="जिला आपूर्ति कार्यालय, {district}",
            role_title_en="District Supply Officer",
        ),
    ),
    Department(
        code="RDD",
        name_en="Rural Development Department",
        name_hi="ग्रामीण विकास विभाग",
        directorates=(
            Directorate(
                "RDD-JEEVIKA",
                "Bihar Rural Livelihoods Promotion Society (JEEViKA)",
                "बिहार ग्रामीण जीविकोपार्जन प्रोत्साहन समिति (जीविका)",
            ),
            Directorate(
                "RDD-MGNREGA",
                "Office of the MGNREGA Commissioner",
                "मनरेगा आयुक्त कार्यालय",
            ),
        ),
        district_office=DistrictOffice(
            suffix="DRDA",
            name_en_template="District Rural Development Agency, {district}",
            name_hi_template="जिला ग्रामीण विकास अभिकरण, {district}",
            role_title_en="Director, District Rural Development Agency",
        ),
    ),
    Department(
        code="SWD",
        name_en="Social Welfare Department",
        name_hi="समाज कल्याण विभाग",
        directorates=(
            Directorate(
                "SWD-ICDS",
                "Directorate of Integrated Child Development Services",
                "समेकित बाल विकास सेवाएं निदेशालय",
            ),
            Directorate(
                "SWD-DSS",
                "Directorate of Social Security",
                "सामाजिक सुरक्षा निदेशालय",
            ),
        ),
        district_office=DistrictOffice(
            suffix="DPO",
            name_en_template=(
                "Office of the District Programme Officer (ICDS), {district}"
            ),
            name_hi_template="जिला कार्यक्रम पदाधिकारी (आईसीडीएस) कार्यालय, {district}",
            role_title_en="District Programme Officer (ICDS)",
        ),
    ),
)
