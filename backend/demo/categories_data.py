"""Demo grievance category trees for the Bihar demo state.

The trees are modelled on the categories of Indian state grievance portals (Bihar
CSPGRS and Lok Shikayat Nivaran, Karnataka iPGRS, Haryana CM Window, CPGRAMS) and are
keyed by the department codes of :data:`backend.demo.bihar_data.DEPARTMENTS`. Each
department's tree goes service / scheme -> category -> (optional) sub-category, and
ends with a single top-level "Others" leaf. Hindi names are given in Devanagari as
used on Bihar government portals; the keywords are what people actually type,
including Hindi words written in Latin script ("dakhil kharij", "rashan").

``rts_days`` marks a Right-to-Service service (Bihar Lok Sewaon ka Adhikar Adhiniyam,
2011) and applies to the node's whole subtree. The values are plausible demo
timelines modelled on the notified ones, not a copy of the current notification.

This module is deliberately pure data (frozen dataclasses and constants, no I/O and
no ORM imports) so that the demo loader and the tests can both read it without side
effects.

Code conventions
----------------
* Every code is unique across the module, matches ``^[A-Z0-9][A-Z0-9-]{1,63}$`` and
  starts with its department's code followed by a dash ("REV-MUT-DELAY").
* A child's code extends its parent's code ("REV-MUT" -> "REV-MUT-DELAY").
* Each department has exactly one "Others" leaf, ``f"{department}-OTHERS"``, at the
  top level, with ``others=True``.
* Category codes do not reuse the unit codes of ``bihar_data`` (directorates such as
  "RDD-MGNREGA" or "HOME-FIRE"), so a code always says which table it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

__all__ = [
    "CATEGORY_TREES",
    "CategoryNode",
    "iter_leaves",
]


# ---------------------------------------------------------------------------
# Shape
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategoryNode:
    """A grievance category; a node without children is a leaf grievances are filed in."""

    code: str
    en: str
    hi: str
    keywords_en: tuple[str, ...] = ()
    keywords_hi: tuple[str, ...] = ()
    children: tuple[CategoryNode, ...] = ()
    # Right-to-Service delivery timeline in days; set on the node that is the service.
    rts_days: int | None = None
    # Complaints against police, corruption, harassment, women / child safety, SC/ST atrocity.
    sensitive: bool = False
    # The department's single "Others" leaf.
    others: bool = False


# ---------------------------------------------------------------------------
# Revenue and Land Reforms Department (REV)
# ---------------------------------------------------------------------------

_REV: Final[tuple[CategoryNode, ...]] = (
    CategoryNode(
        "REV-MUT", "Mutation (Dakhil-Kharij)", "दाखिल-खारिज (नामांतरण)",
        keywords_en=("mutation", "dakhil kharij", "dakhil-kharij", "namantaran", "land mutation", "name transfer in land"),
        keywords_hi=("दाखिल खारिज", "दाखिल-खारिज", "नामांतरण", "म्यूटेशन"),
        rts_days=35,
        children=(
            CategoryNode(
                "REV-MUT-DELAY", "Mutation application pending beyond the time limit",
                "दाखिल-खारिज आवेदन समय-सीमा के बाद भी लंबित",
                keywords_en=("dakhil kharij", "mutation pending", "pending", "delay", "lambit", "not done"),
                keywords_hi=("लंबित", "देरी", "दाखिल खारिज नहीं हुआ"),
            ),
            CategoryNode(
                "REV-MUT-REJECT", "Mutation application rejected without proper reason",
                "दाखिल-खारिज आवेदन बिना उचित कारण अस्वीकृत",
                keywords_en=("mutation rejected", "rejected", "cancelled", "radd", "asvikrit"),
                keywords_hi=("अस्वीकृत", "रद्द", "नामंजूर"),
            ),
            CategoryNode(
                "REV-MUT-SUCCESSION", "Mutation after the landowner's death (inheritance) not done",
                "भू-स्वामी की मृत्यु के बाद उत्तराधिकार के आधार पर दाखिल-खारिज नहीं",
                keywords_en=("inheritance", "succession", "varasat", "waris", "after death", "father's land"),
                keywords_hi=("उत्तराधिकार", "वारिस", "वरासत", "मृत्यु के बाद"),
            ),
            CategoryNode(
                "REV-MUT-WRONG", "Mutation done in a wrong name or with wrong details",
                "गलत नाम या गलत विवरण के साथ दाखिल-खारिज",
                keywords_en=("wrong mutation", "wrong name", "galat naam", "wrong entry"),
                keywords_hi=("गलत नाम", "गलत प्रविष्टि"),
            ),
        ),
    ),
    CategoryNode(
        "REV-LR", "Land records and Jamabandi", "भू-अभिलेख एवं जमाबंदी",
        keywords_en=("land record", "jamabandi", "khatiyan", "khata", "khesra", "register 2", "bhulekh", "zameen", "jamin"),
        keywords_hi=("जमाबंदी", "भू-अभिलेख", "खतियान", "खाता", "खेसरा", "रजिस्टर-2", "जमीन"),
        children=(
            CategoryNode(
                "REV-LR-CORR", "Correction of online land records (Parimarjan)", "ऑनलाइन भू-अभिलेख में सुधार (परिमार्जन)",
                keywords_en=("parimarjan", "correction", "sudhar", "online land record", "wrong land record"),
                keywords_hi=("परिमार्जन", "सुधार", "ऑनलाइन जमाबंदी"),
                children=(
                    CategoryNode(
                        "REV-LR-CORR-NAME", "Wrong name of raiyat or father in the jamabandi",
                        "जमाबंदी में रैयत या पिता का नाम गलत",
                        keywords_en=("wrong name", "raiyat name", "father name", "spelling"),
                        keywords_hi=("रैयत का नाम", "पिता का नाम", "नाम गलत"),
                    ),
                    CategoryNode(
                        "REV-LR-CORR-AREA", "Wrong area (rakba) or khesra number in the land record",
                        "भू-अभिलेख में रकबा या खेसरा संख्या गलत",
                        keywords_en=("rakba", "area wrong", "decimal", "khesra number", "plot number", "khata number"),
                        keywords_hi=("रकबा", "खेसरा संख्या", "डिसमिल", "खाता संख्या"),
                    ),
                    CategoryNode(
                        "REV-LR-CORR-MISSING", "Jamabandi missing from the online records",
                        "ऑनलाइन अभिलेख में जमाबंदी उपलब्ध नहीं",
                        keywords_en=("jamabandi missing", "not online", "not showing", "digitisation"),
                        keywords_hi=("जमाबंदी गायब", "ऑनलाइन नहीं", "डिजिटाइज"),
                    ),
                    CategoryNode(
                        "REV-LR-CORR-PENDING", "Parimarjan application pending", "परिमार्जन आवेदन लंबित",
                        keywords_en=("parimarjan pending", "pending", "delay"),
                        keywords_hi=("परिमार्जन लंबित", "लंबित"),
                    ),
                ),
            ),
            CategoryNode(
                "REV-LR-RENT", "Land rent (lagan) receipt not issued or online payment failed",
                "लगान रसीद निर्गत नहीं या ऑनलाइन भुगतान विफल",
                keywords_en=("lagan", "land rent", "rent receipt", "rasid", "malgujari", "online lagan"),
                keywords_hi=("लगान", "लगान रसीद", "मालगुजारी", "रसीद"),
            ),
            CategoryNode(
                "REV-LR-COPY", "Certified copy of khatiyan or land records not given",
                "खतियान या भू-अभिलेख की सत्यापित प्रति नहीं दी गई",
                keywords_en=("certified copy", "nakal", "khatiyan copy", "record room", "abhilekhagar"),
                keywords_hi=("नकल", "सत्यापित प्रति", "अभिलेखागार"),
            ),
            CategoryNode(
                "REV-LR-SPLIT", "Jamabandi not split after family partition (bantwara)",
                "पारिवारिक बँटवारे के बाद जमाबंदी का विभाजन नहीं",
                keywords_en=("bantwara", "partition", "jamabandi split", "family partition"),
                keywords_hi=("बँटवारा", "बंटवारा", "जमाबंदी विभाजन"),
            ),
        ),
    ),
    CategoryNode(
        "REV-LPC", "Land Possession Certificate (LPC)", "भू-स्वामित्व प्रमाण पत्र (एलपीसी)",
        keywords_en=("lpc", "land possession certificate", "bhu swamitva", "possession certificate"),
        keywords_hi=("एलपीसी", "भू-स्वामित्व प्रमाण पत्र", "भूमि स्वामित्व"),
        rts_days=30,
        children=(
            CategoryNode(
                "REV-LPC-DELAY", "LPC not issued within the time limit", "समय-सीमा में एलपीसी निर्गत नहीं",
                keywords_en=("lpc pending", "not issued", "delay"),
                keywords_hi=("लंबित", "निर्गत नहीं"),
            ),
            CategoryNode(
                "REV-LPC-REJECT", "LPC application rejected", "एलपीसी आवेदन अस्वीकृत",
                keywords_en=("lpc rejected", "rejected"),
                keywords_hi=("अस्वीकृत", "रद्द"),
            ),
            CategoryNode(
                "REV-LPC-ERROR", "Wrong details in the issued LPC", "निर्गत एलपीसी में गलत विवरण",
                keywords_en=("wrong lpc", "error", "correction"),
                keywords_hi=("गलत विवरण", "सुधार"),
            ),
        ),
    ),
    CategoryNode(
        "REV-SURVEY", "Land survey and measurement", "भूमि सर्वेक्षण एवं मापी",
        keywords_en=("survey", "measurement", "mapi", "napi", "amin", "boundary", "demarcation", "naksha"),
        keywords_hi=("सर्वे", "सर्वेक्षण", "मापी", "नापी", "अमीन", "सीमांकन", "नक्शा"),
        children=(
            CategoryNode(
                "REV-SURVEY-MAPI", "Land measurement (mapi) by the circle amin", "अंचल अमीन द्वारा भूमि मापी",
                keywords_en=("land measurement", "mapi", "napi", "amin"),
                keywords_hi=("भूमि मापी", "जमीन नापी"),
                rts_days=30,
                children=(
                    CategoryNode(
                        "REV-SURVEY-MAPI-DELAY", "Measurement not done after the fee was deposited",
                        "शुल्क जमा करने के बाद भी मापी नहीं हुई",
                        keywords_en=("measurement pending", "fee paid", "amin not coming"),
                        keywords_hi=("मापी लंबित", "अमीन नहीं आए"),
                    ),
                    CategoryNode(
                        "REV-SURVEY-MAPI-WRONG", "Wrong measurement or boundary marking by the amin",
                        "अमीन द्वारा गलत मापी या सीमांकन",
                        keywords_en=("wrong measurement", "wrong boundary", "galat mapi"),
                        keywords_hi=("गलत मापी", "गलत सीमांकन"),
                    ),
                ),
            ),
            CategoryNode(
                "REV-SURVEY-SPECIAL", "Special land survey (Vishesh Sarvekshan)", "विशेष भूमि सर्वेक्षण",
                keywords_en=("special survey", "vishesh sarvekshan", "bhumi survey", "settlement", "vanshavali"),
                keywords_hi=("विशेष सर्वेक्षण", "भूमि सर्वे", "वंशावली", "स्वघोषणा"),
                children=(
                    CategoryNode(
                        "REV-SURVEY-SPECIAL-MAP", "Error in the draft survey khatiyan or map",
                        "प्रारूप सर्वे खतियान या नक्शे में त्रुटि",
                        keywords_en=("draft khatiyan", "survey map", "naksha error", "wrong plot"),
                        keywords_hi=("प्रारूप खतियान", "नक्शे में त्रुटि"),
                    ),
                    CategoryNode(
                        "REV-SURVEY-SPECIAL-CLAIM", "Claim or objection not heard by the survey camp",
                        "सर्वे शिविर द्वारा दावा-आपत्ति पर सुनवाई नहीं",
                        keywords_en=("dava aapatti", "claim objection", "survey camp", "objection"),
                        keywords_hi=("दावा-आपत्ति", "आपत्ति", "सर्वे शिविर"),
                    ),
                ),
            ),
            CategoryNode(
                "REV-SURVEY-CHAK", "Land consolidation (chakbandi) dispute", "चकबंदी संबंधी विवाद",
                keywords_en=("chakbandi", "consolidation", "chak"),
                keywords_hi=("चकबंदी", "चक"),
            ),
        ),
    ),
    CategoryNode(
        "REV-GOVLAND", "Government land and encroachment", "सरकारी भूमि एवं अतिक्रमण",
        keywords_en=("encroachment", "atikraman", "kabza", "illegal occupation", "government land", "sarkari zameen"),
        keywords_hi=("अतिक्रमण", "कब्जा", "अवैध कब्जा", "सरकारी जमीन"),
        children=(
            CategoryNode(
                "REV-GOVLAND-ENCROACH", "Encroachment of government (gair-mazarua) land",
                "सरकारी (गैरमजरूआ) भूमि पर अतिक्रमण",
                keywords_en=("gair mazarua", "gairmazarua", "public land", "khas mahal"),
                keywords_hi=("गैरमजरूआ", "आम जमीन", "खास महल"),
            ),
            CategoryNode(
                "REV-GOVLAND-POND", "Encroachment of a pond, ahar-pyne or public path",
                "तालाब, आहर-पईन या सार्वजनिक रास्ते पर अतिक्रमण",
                keywords_en=("pond", "talab", "pokhar", "ahar pyne", "public path", "rasta band"),
                keywords_hi=("तालाब", "पोखर", "आहर-पईन", "रास्ता"),
            ),
            CategoryNode(
                "REV-GOVLAND-PRIVATE", "Private land illegally occupied by others", "निजी भूमि पर दूसरों का अवैध कब्जा",
                keywords_en=("land grab", "my land occupied", "bedakhli", "dabang", "land mafia"),
                keywords_hi=("जबरन कब्जा", "बेदखली", "भू-माफिया", "दबंग"),
            ),
            CategoryNode(
                "REV-GOVLAND-PARCHA", "Possession not given on land allotted by parcha (landless families)",
                "पर्चा मिलने के बाद भी भूमि पर दखल-कब्जा नहीं",
                keywords_en=("parcha", "basgit parcha", "bhoodan", "landless", "dakhal dehani", "dakhal dihani",
                             "abhiyan basera"),
                keywords_hi=("पर्चा", "बासगीत पर्चा", "भूदान", "भूमिहीन", "दखल-देहानी", "अभियान बसेरा"),
            ),
        ),
    ),
    CategoryNode(
        "REV-ACQ", "Land acquisition and compensation", "भू-अर्जन एवं मुआवजा",
        keywords_en=("land acquisition", "compensation", "muavja", "muavza", "acquired land", "bhu arjan"),
        keywords_hi=("भू-अर्जन", "भूमि अधिग्रहण", "मुआवजा"),
        children=(
            CategoryNode(
                "REV-ACQ-PAYMENT", "Compensation for acquired land not paid", "अधिग्रहित भूमि का मुआवजा भुगतान नहीं",
                keywords_en=("compensation not paid", "payment pending"),
                keywords_hi=("मुआवजा नहीं मिला", "भुगतान लंबित"),
            ),
            CategoryNode(
                "REV-ACQ-RATE", "Wrong compensation rate or amount", "मुआवजा की दर या राशि गलत",
                keywords_en=("low compensation", "wrong rate", "mvr", "land classification"),
                keywords_hi=("कम मुआवजा", "गलत दर"),
            ),
            CategoryNode(
                "REV-ACQ-RR", "Rehabilitation and resettlement benefits not given", "पुनर्वास एवं पुनर्स्थापन लाभ नहीं मिला",
                keywords_en=("rehabilitation", "resettlement", "punarvas", "displaced"),
                keywords_hi=("पुनर्वास", "विस्थापित"),
            ),
        ),
    ),
    CategoryNode(
        "REV-RTPS", "Certificates (RTPS): caste, income, residence", "प्रमाण पत्र (आरटीपीएस): जाति, आय, निवास",
        keywords_en=("certificate", "praman patra", "rtps", "serviceonline", "rtps counter", "anchal"),
        keywords_hi=("प्रमाण पत्र", "आरटीपीएस", "अंचल कार्यालय"),
        children=(
            CategoryNode(
                "REV-RTPS-CASTE", "Caste certificate", "जाति प्रमाण पत्र",
                keywords_en=("caste certificate", "jati praman patra", "jaati", "sc st certificate", "obc", "ebc"),
                keywords_hi=("जाति प्रमाण पत्र", "जाति"),
                rts_days=14,
                children=(
                    CategoryNode(
                        "REV-RTPS-CASTE-DELAY", "Caste certificate not issued within the time limit",
                        "समय-सीमा में जाति प्रमाण पत्र निर्गत नहीं",
                        keywords_en=("pending", "delay", "not issued"),
                        keywords_hi=("लंबित", "निर्गत नहीं"),
                    ),
                    CategoryNode(
                        "REV-RTPS-CASTE-ERROR", "Wrong caste or details in the caste certificate",
                        "जाति प्रमाण पत्र में गलत जाति या विवरण",
                        keywords_en=("wrong caste", "correction", "error"),
                        keywords_hi=("गलत जाति", "सुधार"),
                    ),
                ),
            ),
            CategoryNode(
                "REV-RTPS-INCOME", "Income certificate", "आय प्रमाण पत्र",
                keywords_en=("income certificate", "aay praman patra", "aay", "income"),
                keywords_hi=("आय प्रमाण पत्र", "आय"),
                rts_days=14,
                children=(
                    CategoryNode(
                        "REV-RTPS-INCOME-DELAY", "Income certificate not issued within the time limit",
                        "समय-सीमा में आय प्रमाण पत्र निर्गत नहीं",
                        keywords_en=("pending", "delay", "not issued"),
                        keywords_hi=("लंबित", "निर्गत नहीं"),
                    ),
                    CategoryNode(
                        "REV-RTPS-INCOME-ERROR", "Wrong income or details in the income certificate",
                        "आय प्रमाण पत्र में गलत आय या विवरण",
                        keywords_en=("wrong income", "correction", "error"),
                        keywords_hi=("गलत आय", "सुधार"),
                    ),
                ),
            ),
            CategoryNode(
                "REV-RTPS-RES", "Residence certificate", "निवास प्रमाण पत्र",
                keywords_en=("residence certificate", "niwas praman patra", "domicile", "awasiya", "niwas"),
                keywords_hi=("निवास प्रमाण पत्र", "आवासीय प्रमाण पत्र", "डोमिसाइल"),
                rts_days=14,
                children=(
                    CategoryNode(
                        "REV-RTPS-RES-DELAY", "Residence certificate not issued within the time limit",
                        "समय-सीमा में निवास प्रमाण पत्र निर्गत नहीं",
                        keywords_en=("pending", "delay", "not issued"),
                        keywords_hi=("लंबित", "निर्गत नहीं"),
                    ),
                    CategoryNode(
                        "REV-RTPS-RES-ERROR", "Wrong address or details in the residence certificate",
                        "निवास प्रमाण पत्र में गलत पता या विवरण",
                        keywords_en=("wrong address", "correction", "error"),
                        keywords_hi=("गलत पता", "सुधार"),
                    ),
                ),
            ),
            CategoryNode(
                "REV-RTPS-NCL", "Non-creamy layer certificate", "नॉन-क्रीमी लेयर प्रमाण पत्र",
                keywords_en=("non creamy layer", "ncl", "creamy layer", "obc ncl"),
                keywords_hi=("नॉन-क्रीमी लेयर", "नन-क्रीमी लेयर", "क्रीमी लेयर"),
                rts_days=14,
            ),
            CategoryNode(
                "REV-RTPS-EWS", "Economically Weaker Section (EWS) certificate",
                "आर्थिक रूप से कमजोर वर्ग (ईडब्ल्यूएस) प्रमाण पत्र",
                keywords_en=("ews", "ews certificate", "economically weaker section", "general poor"),
                keywords_hi=("ईडब्ल्यूएस", "आर्थिक रूप से कमजोर वर्ग"),
                rts_days=14,
            ),
        ),
    ),
    CategoryNode(
        "REV-STAFF", "Conduct of circle office (anchal) staff", "अंचल कार्यालय कर्मियों का आचरण",
        keywords_en=("circle office", "anchal", "co", "circle officer", "karmachari", "rajaswa karmachari", "halka"),
        keywords_hi=("अंचल कार्यालय", "अंचलाधिकारी", "राजस्व कर्मचारी", "हल्का"),
        children=(
            CategoryNode(
                "REV-STAFF-BRIBE", "Bribe demanded by revenue staff", "राजस्व कर्मियों द्वारा रिश्वत की माँग",
                keywords_en=("bribe", "rishwat", "ghoos", "ghus", "corruption", "money demanded"),
                keywords_hi=("रिश्वत", "घूस", "भ्रष्टाचार", "पैसे की माँग"),
                sensitive=True,
            ),
            CategoryNode(
                "REV-STAFF-ABSENT", "Revenue karmachari not available at the halka office",
                "हल्का कार्यालय में राजस्व कर्मचारी उपलब्ध नहीं",
                keywords_en=("absent", "not available", "office closed", "karmachari absent"),
                keywords_hi=("अनुपस्थित", "उपलब्ध नहीं", "कार्यालय बंद"),
            ),
            CategoryNode(
                "REV-STAFF-MISBEHAVE", "Misbehaviour or repeated rounds at the circle office",
                "अंचल कार्यालय में दुर्व्यवहार या बार-बार चक्कर लगवाना",
                keywords_en=("misbehaviour", "rude", "chakkar", "harassment at office"),
                keywords_hi=("दुर्व्यवहार", "चक्कर", "परेशान"),
            ),
        ),
    ),
    CategoryNode("REV-OTHERS", "Others", "अन्य", others=True),
)


# ---------------------------------------------------------------------------
# Home Department - Police (HOME)
# ---------------------------------------------------------------------------

_HOME: Final[tuple[CategoryNode, ...]] = (
    CategoryNode(
        "HOME-FIR", "Registration of FIR and complaints", "प्राथमिकी (एफआईआर) एवं शिकायत दर्ज करना",
        keywords_en=("fir", "first information report", "prathmiki", "thana", "police station", "complaint", "case"),
        keywords_hi=("एफआईआर", "प्राथमिकी", "थाना", "मुकदमा", "सनहा"),
        children=(
            CategoryNode(
                "HOME-FIR-REFUSED", "Police station refused to register the FIR",
                "थाने द्वारा प्राथमिकी दर्ज करने से इनकार",
                keywords_en=("fir not registered", "fir refused", "fir nahi likha", "fir nahi", "thana refused"),
                keywords_hi=("एफआईआर दर्ज नहीं", "प्राथमिकी दर्ज नहीं", "थाने ने मना किया"),
                sensitive=True,
            ),
            CategoryNode(
                "HOME-FIR-COPY", "Copy of the FIR not given", "प्राथमिकी की प्रति नहीं दी गई",
                keywords_en=("fir copy", "copy not given"),
                keywords_hi=("प्राथमिकी की प्रति", "एफआईआर कॉपी"),
            ),
            CategoryNode(
                "HOME-FIR-ONLINE", "No action on an online complaint or e-FIR", "ऑनलाइन शिकायत या ई-एफआईआर पर कार्रवाई नहीं",
                keywords_en=("online complaint", "e-fir", "efir", "online fir", "citizen portal"),
                keywords_hi=("ऑनलाइन शिकायत", "ई-एफआईआर"),
            ),
        ),
    ),
    CategoryNode(
        "HOME-INV", "Investigation and police action", "अनुसंधान एवं पुलिस कार्रवाई",
        keywords_en=("investigation", "anusandhan", "police inaction", "no action", "arrest", "chargesheet", "karwai"),
        keywords_hi=("अनुसंधान", "कार्रवाई", "गिरफ्तारी", "आरोप पत्र", "पुलिस"),
        children=(
            CategoryNode(
                "HOME-INV-NOACTION", "No police action on a complaint", "शिकायत पर पुलिस द्वारा कोई कार्रवाई नहीं",
                keywords_en=("police inaction", "no action", "koi karwai nahi", "police not helping"),
                keywords_hi=("कोई कार्रवाई नहीं", "पुलिस सुनती नहीं"),
            ),
            CategoryNode(
                "HOME-INV-DELAY", "Investigation pending for long or chargesheet not submitted",
                "अनुसंधान लंबे समय से लंबित या आरोप पत्र समर्पित नहीं",
                keywords_en=("investigation pending", "chargesheet", "charge sheet", "final form", "case diary"),
                keywords_hi=("अनुसंधान लंबित", "आरोप पत्र", "केस डायरी"),
            ),
            CategoryNode(
                "HOME-INV-ARREST", "Named accused not arrested", "नामजद अभियुक्त की गिरफ्तारी नहीं",
                keywords_en=("accused not arrested", "arrest", "giraftari", "absconding"),
                keywords_hi=("गिरफ्तारी नहीं", "अभियुक्त फरार"),
            ),
            CategoryNode(
                "HOME-INV-FALSE", "Implicated in a false case", "झूठे मुकदमे में फँसाया गया",
                keywords_en=("false case", "fake case", "jhutha case", "framed"),
                keywords_hi=("झूठा मुकदमा", "फर्जी केस"),
                sensitive=True,
            ),
            CategoryNode(
                "HOME-INV-PROPERTY", "Seized or recovered property (vehicle, mobile) not returned",
                "जब्त या बरामद संपत्ति (वाहन, मोबाइल) वापस नहीं",
                keywords_en=("seized vehicle", "stolen mobile", "recovered", "zabt", "property release"),
                keywords_hi=("जब्त वाहन", "चोरी का मोबाइल", "बरामदगी"),
            ),
        ),
    ),
    CategoryNode(
        "HOME-CONDUCT", "Conduct of police personnel", "पुलिसकर्मियों का आचरण",
        keywords_en=("police misbehaviour", "police harassment", "daroga", "thanedar", "sipahi", "police complaint"),
        keywords_hi=("पुलिस दुर्व्यवहार", "दारोगा", "थानाध्यक्ष", "सिपाही"),
        sensitive=True,
        children=(
            CategoryNode(
                "HOME-CONDUCT-MISBEHAVE", "Misbehaviour or abusive language by police",
                "पुलिस द्वारा दुर्व्यवहार या अभद्र भाषा",
                keywords_en=("misbehaviour", "abuse", "gali", "rude police", "beaten by police"),
                keywords_hi=("दुर्व्यवहार", "गाली-गलौज", "मारपीट"),
            ),
            CategoryNode(
                "HOME-CONDUCT-BRIBE", "Bribe demanded by police", "पुलिस द्वारा रिश्वत की माँग",
                keywords_en=("bribe", "rishwat", "ghoos", "ghus", "corruption", "vasooli", "money demanded"),
                keywords_hi=("रिश्वत", "घूस", "वसूली", "भ्रष्टाचार"),
            ),
            CategoryNode(
                "HOME-CONDUCT-CUSTODY", "Illegal detention or assault in custody", "अवैध हिरासत या हिरासत में मारपीट",
                keywords_en=("illegal detention", "custody", "hirasat", "lock up", "third degree"),
                keywords_hi=("अवैध हिरासत", "हाजत", "हिरासत में मारपीट"),
            ),
            CategoryNode(
                "HOME-CONDUCT-COLLUSION", "Police siding with the accused or land mafia",
                "पुलिस की अभियुक्त या भू-माफिया से मिलीभगत",
                keywords_en=("collusion", "siding with accused", "partial", "milibhagat"),
                keywords_hi=("मिलीभगत", "पक्षपात"),
            ),
        ),
    ),
    CategoryNode(
        "HOME-WOMEN", "Safety of women", "महिला सुरक्षा",
        keywords_en=("women safety", "mahila", "eve teasing", "chhedkhani", "dowry", "dahej", "domestic violence"),
        keywords_hi=("महिला सुरक्षा", "छेड़खानी", "दहेज", "घरेलू हिंसा", "महिला थाना"),
        sensitive=True,
        children=(
            CategoryNode(
                "HOME-WOMEN-HARASS", "Eve-teasing, stalking or sexual harassment", "छेड़खानी, पीछा करना या यौन उत्पीड़न",
                keywords_en=("eve teasing", "chhedkhani", "stalking", "sexual harassment", "molestation"),
                keywords_hi=("छेड़खानी", "पीछा करना", "यौन उत्पीड़न"),
            ),
            CategoryNode(
                "HOME-WOMEN-DOWRY", "Dowry harassment or domestic violence", "दहेज प्रताड़ना या घरेलू हिंसा",
                keywords_en=("dowry", "dahej", "domestic violence", "in-laws", "sasural"),
                keywords_hi=("दहेज प्रताड़ना", "घरेलू हिंसा", "ससुराल"),
            ),
            CategoryNode(
                "HOME-WOMEN-MISSING", "Missing woman or girl not traced", "लापता महिला या लड़की की बरामदगी नहीं",
                keywords_en=("missing girl", "missing woman", "kidnapping", "apaharan", "lapata"),
                keywords_hi=("लापता", "अपहरण", "गुमशुदा"),
            ),
        ),
    ),
    CategoryNode(
        "HOME-SCST", "Atrocities against Scheduled Castes and Tribes", "अनुसूचित जाति / जनजाति पर अत्याचार",
        keywords_en=("sc st act", "atrocity", "dalit", "casteist abuse", "caste violence"),
        keywords_hi=("एससी/एसटी एक्ट", "अत्याचार", "जातिसूचक गाली", "दलित उत्पीड़न"),
        sensitive=True,
        children=(
            CategoryNode(
                "HOME-SCST-FIR", "Case not registered under the SC/ST (Prevention of Atrocities) Act",
                "एससी/एसटी (अत्याचार निवारण) अधिनियम के तहत मामला दर्ज नहीं",
                keywords_en=("atrocity case not registered", "sc st fir"),
                keywords_hi=("मामला दर्ज नहीं", "एससी/एसटी थाना"),
            ),
            CategoryNode(
                "HOME-SCST-RELIEF", "Relief amount to the atrocity victim not paid", "अत्याचार पीड़ित को राहत राशि नहीं मिली",
                keywords_en=("relief amount", "compensation", "pratikar", "victim relief"),
                keywords_hi=("राहत राशि", "प्रतिकर", "मुआवजा"),
            ),
        ),
    ),
    CategoryNode(
        "HOME-VERIFY", "Police verification and certificates", "पुलिस सत्यापन एवं प्रमाण पत्र",
        keywords_en=("police verification", "verification", "satyapan", "character certificate", "noc"),
        keywords_hi=("पुलिस सत्यापन", "सत्यापन", "प्रमाण पत्र"),
        children=(
            CategoryNode(
                "HOME-VERIFY-CHARACTER", "Character certificate", "चरित्र प्रमाण पत्र",
                keywords_en=("character certificate", "charitra praman patra", "police clearance", "pcc"),
                keywords_hi=("चरित्र प्रमाण पत्र", "आचरण प्रमाण पत्र"),
                rts_days=14,
            ),
            CategoryNode(
                "HOME-VERIFY-PASSPORT", "Passport verification", "पासपोर्ट सत्यापन",
                keywords_en=("passport verification", "passport", "psk"),
                keywords_hi=("पासपोर्ट सत्यापन", "पासपोर्ट"),
                rts_days=15,
            ),
            CategoryNode(
                "HOME-VERIFY-TENANT", "Tenant, domestic help or employee verification",
                "किरायेदार, घरेलू सहायक या कर्मचारी सत्यापन",
                keywords_en=("tenant verification", "kirayedar", "servant verification", "employee verification"),
                keywords_hi=("किरायेदार सत्यापन", "घरेलू सहायक"),
            ),
            CategoryNode(
                "HOME-VERIFY-ARMS", "Arms licence application or renewal", "शस्त्र अनुज्ञप्ति आवेदन या नवीकरण",
                keywords_en=("arms licence", "arms license", "gun licence", "shastra"),
                keywords_hi=("शस्त्र अनुज्ञप्ति", "हथियार लाइसेंस"),
            ),
        ),
    ),
    CategoryNode(
        "HOME-TRAFFIC", "Traffic and road safety", "यातायात एवं सड़क सुरक्षा",
        keywords_en=("traffic", "jam", "challan", "traffic police", "parking", "signal"),
        keywords_hi=("यातायात", "जाम", "चालान", "ट्रैफिक पुलिस"),
        children=(
            CategoryNode(
                "HOME-TRAFFIC-JAM", "Traffic jam or no traffic police at a crossing", "जाम या चौराहे पर यातायात पुलिस नहीं",
                keywords_en=("traffic jam", "jam", "crossing", "chauraha"),
                keywords_hi=("जाम", "चौराहा"),
            ),
            CategoryNode(
                "HOME-TRAFFIC-CHALLAN", "Wrong or disputed e-challan", "गलत या विवादित ई-चालान",
                keywords_en=("e-challan", "echallan", "wrong challan", "fine"),
                keywords_hi=("ई-चालान", "गलत चालान", "जुर्माना"),
            ),
            CategoryNode(
                "HOME-TRAFFIC-PARKING", "Illegal parking or unauthorised auto / e-rickshaw stand",
                "अवैध पार्किंग या अनधिकृत ऑटो / ई-रिक्शा स्टैंड",
                keywords_en=("illegal parking", "auto stand", "e-rickshaw", "toto"),
                keywords_hi=("अवैध पार्किंग", "ऑटो स्टैंड", "ई-रिक्शा"),
            ),
        ),
    ),
    CategoryNode(
        "HOME-CYBER", "Cyber crime", "साइबर अपराध",
        keywords_en=("cyber crime", "cyber", "online fraud", "1930", "cyber thana"),
        keywords_hi=("साइबर अपराध", "साइबर थाना", "ऑनलाइन ठगी"),
        children=(
            CategoryNode(
                "HOME-CYBER-FRAUD", "Online, UPI or bank fraud", "ऑनलाइन, यूपीआई या बैंक ठगी",
                keywords_en=("upi fraud", "otp fraud", "atm fraud", "paise kat gaye", "thagi", "fraud call"),
                keywords_hi=("ठगी", "धोखाधड़ी", "यूपीआई", "ओटीपी"),
            ),
            CategoryNode(
                "HOME-CYBER-HACK", "Social media account hacked or fake profile", "सोशल मीडिया अकाउंट हैक या फर्जी प्रोफाइल",
                keywords_en=("hacked", "fake profile", "facebook", "whatsapp", "instagram"),
                keywords_hi=("हैक", "फर्जी प्रोफाइल", "फेसबुक", "व्हाट्सएप"),
            ),
            CategoryNode(
                "HOME-CYBER-HARASS", "Online harassment, blackmail or sextortion", "ऑनलाइन उत्पीड़न, ब्लैकमेल या सेक्सटॉर्शन",
                keywords_en=("blackmail", "sextortion", "morphed photo", "online harassment", "obscene video"),
                keywords_hi=("ब्लैकमेल", "अश्लील वीडियो", "ऑनलाइन उत्पीड़न"),
                sensitive=True,
            ),
        ),
    ),
    CategoryNode(
        "HOME-LAW", "Law and order", "विधि-व्यवस्था",
        keywords_en=("law and order", "crime", "apradh", "goonda", "dabang", "chori", "theft"),
        keywords_hi=("विधि-व्यवस्था", "अपराध", "चोरी", "दबंग", "असामाजिक तत्व"),
        children=(
            CategoryNode(
                "HOME-LAW-LIQUOR", "Illegal liquor sale (prohibition)", "अवैध शराब बिक्री (मद्यनिषेध)",
                keywords_en=("sharab", "daru", "liquor", "sharabbandi", "prohibition", "madya nishedh"),
                keywords_hi=("शराब", "दारू", "शराबबंदी", "मद्यनिषेध"),
            ),
            CategoryNode(
                "HOME-LAW-PATROL", "Frequent thefts or no police patrolling", "लगातार चोरी या पुलिस गश्ती नहीं",
                keywords_en=("theft", "chori", "patrolling", "gasht", "snatching"),
                keywords_hi=("चोरी", "गश्ती", "छिनतई"),
            ),
            CategoryNode(
                "HOME-LAW-THREAT", "Threats or violence by anti-social elements", "असामाजिक तत्वों द्वारा धमकी या हिंसा",
                keywords_en=("threat", "dhamki", "goonda", "rangdari", "extortion"),
                keywords_hi=("धमकी", "रंगदारी", "असामाजिक तत्व"),
            ),
            CategoryNode(
                "HOME-LAW-NOISE", "Loudspeaker or DJ noise beyond permitted hours",
                "निर्धारित समय के बाद लाउडस्पीकर या डीजे का शोर",
                keywords_en=("loudspeaker", "dj", "noise", "sound pollution"),
                keywords_hi=("लाउडस्पीकर", "डीजे", "शोर"),
            ),
            CategoryNode(
                "HOME-LAW-112", "Dial 112 emergency response delayed", "डायल 112 आपातकालीन सहायता में देरी",
                keywords_en=("112", "dial 112", "emergency", "erss", "police did not come"),
                keywords_hi=("डायल 112", "आपातकालीन सहायता", "पुलिस नहीं आई"),
            ),
        ),
    ),
    CategoryNode(
        "HOME-FIRESVC", "Fire services", "अग्निशमन सेवाएँ",
        keywords_en=("fire", "fire brigade", "damkal", "agnishaman", "fire noc"),
        keywords_hi=("अग्निशमन", "दमकल", "आग"),
        children=(
            CategoryNode(
                "HOME-FIRESVC-NOC", "Fire safety NOC", "अग्नि सुरक्षा अनापत्ति प्रमाण पत्र",
                keywords_en=("fire noc", "fire safety certificate", "no objection"),
                keywords_hi=("अनापत्ति प्रमाण पत्र", "फायर एनओसी"),
                rts_days=30,
            ),
            CategoryNode(
                "HOME-FIRESVC-LATE", "Fire tender did not arrive or arrived late", "दमकल नहीं पहुँचा या देर से पहुँचा",
                keywords_en=("fire tender late", "fire brigade late", "damkal"),
                keywords_hi=("दमकल देर से", "आग लगी"),
            ),
        ),
    ),
    CategoryNode("HOME-OTHERS", "Others", "अन्य", others=True),
)


# ---------------------------------------------------------------------------
# Health Department (HEALTH)
# ---------------------------------------------------------------------------

_HEALTH: Final[tuple[CategoryNode, ...]] = (
    CategoryNode(
        "HEALTH-HOSP", "Government hospital services", "सरकारी अस्पताल सेवाएँ",
        keywords_en=("hospital", "aspatal", "sadar aspatal", "phc", "chc", "apha", "referral hospital", "opd", "pmch"),
        keywords_hi=("अस्पताल", "सदर अस्पताल", "प्राथमिक स्वास्थ्य केंद्र", "रेफरल अस्पताल", "ओपीडी"),
        children=(
            CategoryNode(
                "HEALTH-HOSP-DOCTOR", "Doctor absent or OPD not functioning", "चिकित्सक अनुपस्थित या ओपीडी बंद",
                keywords_en=("doctor absent", "no doctor", "daktar nahi", "opd closed"),
                keywords_hi=("डॉक्टर नहीं", "चिकित्सक अनुपस्थित", "ओपीडी बंद"),
            ),
            CategoryNode(
                "HEALTH-HOSP-MEDICINE", "Free medicines not available", "निःशुल्क दवाइयाँ उपलब्ध नहीं",
                keywords_en=("medicine", "dawa", "dawai", "free medicine", "medicine from outside"),
                keywords_hi=("दवा", "दवाई", "निःशुल्क दवा", "बाहर से दवा"),
            ),
            CategoryNode(
                "HEALTH-HOSP-TEST", "Pathology, X-ray or other tests not available", "पैथोलॉजी, एक्स-रे या अन्य जाँच उपलब्ध नहीं",
                keywords_en=("test", "jaanch", "pathology", "x-ray", "ultrasound", "ct scan"),
                keywords_hi=("जाँच", "पैथोलॉजी", "एक्स-रे", "अल्ट्रासाउंड"),
            ),
            CategoryNode(
                "HEALTH-HOSP-FACILITY", "Cleanliness, beds or drinking water in hospital",
                "अस्पताल में साफ-सफाई, बेड या पेयजल की समस्या",
                keywords_en=("dirty", "cleanliness", "safai", "bed", "drinking water", "toilet"),
                keywords_hi=("सफाई", "गंदगी", "बेड", "पेयजल"),
            ),
            CategoryNode(
                "HEALTH-HOSP-NEGLIGENCE", "Negligence or misbehaviour by hospital staff",
                "अस्पताल कर्मियों द्वारा लापरवाही या दुर्व्यवहार",
                keywords_en=("negligence", "laparwahi", "misbehaviour", "nurse", "wrong treatment"),
                keywords_hi=("लापरवाही", "दुर्व्यवहार", "गलत इलाज"),
            ),
            CategoryNode(
                "HEALTH-HOSP-MONEY", "Money demanded for free hospital services", "निःशुल्क अस्पताल सेवाओं के लिए पैसे की माँग",
                keywords_en=("bribe", "rishwat", "money demanded", "paisa manga", "corruption"),
                keywords_hi=("रिश्वत", "पैसे की माँग", "अवैध वसूली"),
                sensitive=True,
            ),
            CategoryNode(
                "HEALTH-HOSP-POSTMORTEM", "Post-mortem or injury report delayed", "पोस्टमार्टम या इंजरी रिपोर्ट में देरी",
                keywords_en=("post mortem", "postmortem report", "injury report", "medical report"),
                keywords_hi=("पोस्टमार्टम", "इंजरी रिपोर्ट"),
            ),
        ),
    ),
    CategoryNode(
        "HEALTH-AMB", "Ambulance service (102)", "एम्बुलेंस सेवा (102)",
        keywords_en=("ambulance", "102", "108", "gaadi nahi aayi"),
        keywords_hi=("एम्बुलेंस", "एंबुलेंस", "102"),
        children=(
            CategoryNode(
                "HEALTH-AMB-LATE", "Ambulance did not come or came late", "एम्बुलेंस नहीं आई या देर से आई",
                keywords_en=("ambulance late", "ambulance not came", "no ambulance"),
                keywords_hi=("एम्बुलेंस नहीं आई", "देर से आई"),
            ),
            CategoryNode(
                "HEALTH-AMB-MONEY", "Money demanded for the free ambulance", "निःशुल्क एम्बुलेंस के लिए पैसे की माँग",
                keywords_en=("ambulance money", "bribe", "rishwat", "diesel money"),
                keywords_hi=("पैसे की माँग", "रिश्वत"),
                sensitive=True,
            ),
        ),
    ),
    CategoryNode(
        "HEALTH-PMJAY", "Ayushman Bharat (PM-JAY)", "आयुष्मान भारत (प्रधानमंत्री जन आरोग्य योजना)",
        keywords_en=("ayushman", "ayushman card", "golden card", "pmjay", "pm-jay", "5 lakh", "free treatment"),
        keywords_hi=("आयुष्मान", "आयुष्मान कार्ड", "गोल्डन कार्ड", "मुफ्त इलाज"),
        children=(
            CategoryNode(
                "HEALTH-PMJAY-CARD", "Ayushman card not made or e-KYC problem", "आयुष्मान कार्ड नहीं बना या ई-केवाईसी समस्या",
                keywords_en=("card not made", "ekyc", "e-kyc", "name not in list"),
                keywords_hi=("कार्ड नहीं बना", "ई-केवाईसी", "सूची में नाम नहीं"),
            ),
            CategoryNode(
                "HEALTH-PMJAY-DENIED", "Treatment refused at an empanelled hospital", "सूचीबद्ध अस्पताल द्वारा इलाज से इनकार",
                keywords_en=("treatment refused", "empanelled hospital", "private hospital"),
                keywords_hi=("इलाज से इनकार", "सूचीबद्ध अस्पताल"),
            ),
            CategoryNode(
                "HEALTH-PMJAY-CHARGED", "Money charged despite the Ayushman card", "आयुष्मान कार्ड होने पर भी पैसे लिए गए",
                keywords_en=("charged money", "overcharging", "bill paid"),
                keywords_hi=("पैसे लिए", "अधिक शुल्क"),
            ),
        ),
    ),
    CategoryNode(
        "HEALTH-MCH", "Maternal and child health", "मातृ एवं शिशु स्वास्थ्य",
        keywords_en=("jsy", "janani suraksha", "delivery", "prasav", "asha", "vaccination", "tika", "tikakaran"),
        keywords_hi=("जननी सुरक्षा योजना", "प्रसव", "आशा", "टीकाकरण", "टीका"),
        children=(
            CategoryNode(
                "HEALTH-MCH-JSY", "Janani Suraksha Yojana payment not received", "जननी सुरक्षा योजना की राशि नहीं मिली",
                keywords_en=("jsy payment", "janani suraksha yojana", "1400", "delivery incentive"),
                keywords_hi=("जननी सुरक्षा", "प्रोत्साहन राशि"),
            ),
            CategoryNode(
                "HEALTH-MCH-DELIVERY", "Problem with delivery facility or labour room", "प्रसव सुविधा या प्रसव कक्ष की समस्या",
                keywords_en=("labour room", "delivery", "prasav", "pregnant"),
                keywords_hi=("प्रसव कक्ष", "गर्भवती"),
            ),
            CategoryNode(
                "HEALTH-MCH-VACCINE", "Child vaccination (tikakaran) not done", "बच्चे का टीकाकरण नहीं हुआ",
                keywords_en=("vaccination", "tikakaran", "immunisation", "polio"),
                keywords_hi=("टीकाकरण", "टीका", "पोलियो"),
            ),
            CategoryNode(
                "HEALTH-MCH-ASHA", "ASHA worker not available in the village", "गाँव में आशा कार्यकर्ता उपलब्ध नहीं",
                keywords_en=("asha", "asha didi", "asha worker"),
                keywords_hi=("आशा", "आशा दीदी", "आशा कार्यकर्ता"),
            ),
        ),
    ),
    CategoryNode(
        "HEALTH-CMMAF", "Chief Minister's Medical Assistance Fund", "मुख्यमंत्री चिकित्सा सहायता कोष",
        keywords_en=("cm medical assistance", "chikitsa sahayata", "medical assistance fund", "treatment help"),
        keywords_hi=("मुख्यमंत्री चिकित्सा सहायता", "चिकित्सा सहायता कोष"),
        children=(
            CategoryNode(
                "HEALTH-CMMAF-PENDING", "Medical assistance application pending", "चिकित्सा सहायता आवेदन लंबित",
                keywords_en=("application pending", "pending"),
                keywords_hi=("आवेदन लंबित", "लंबित"),
            ),
            CategoryNode(
                "HEALTH-CMMAF-PAYMENT", "Sanctioned assistance not paid to the hospital",
                "स्वीकृत सहायता राशि अस्पताल को नहीं मिली",
                keywords_en=("payment not received", "sanctioned amount"),
                keywords_hi=("राशि नहीं मिली", "स्वीकृत राशि"),
            ),
        ),
    ),
    CategoryNode(
        "HEALTH-PVT", "Private clinics and quacks", "निजी क्लिनिक एवं झोलाछाप चिकित्सक",
        keywords_en=("quack", "jholachhap", "private clinic", "fake doctor", "nursing home"),
        keywords_hi=("झोलाछाप", "फर्जी डॉक्टर", "निजी क्लिनिक", "नर्सिंग होम"),
        children=(
            CategoryNode(
                "HEALTH-PVT-QUACK", "Quack doctor or unregistered clinic", "झोलाछाप डॉक्टर या अपंजीकृत क्लिनिक",
                keywords_en=("quack", "unregistered clinic", "fake doctor"),
                keywords_hi=("झोलाछाप", "अपंजीकृत क्लिनिक"),
            ),
            CategoryNode(
                "HEALTH-PVT-SEXDET", "Illegal sex-determination test", "अवैध लिंग जाँच",
                keywords_en=("sex determination", "ling jaanch", "pcpndt", "ultrasound centre"),
                keywords_hi=("लिंग जाँच", "भ्रूण जाँच"),
                sensitive=True,
            ),
        ),
    ),
    CategoryNode(
        "HEALTH-DISEASE", "Disease control", "रोग नियंत्रण",
        keywords_en=("dengue", "malaria", "kala azar", "kalazar", "tb", "chamki bukhar", "aes", "fogging"),
        keywords_hi=("डेंगू", "मलेरिया", "कालाजार", "टीबी", "चमकी बुखार"),
        children=(
            CategoryNode(
                "HEALTH-DISEASE-SPRAY", "Fogging or spraying not done (dengue, malaria, kala-azar)",
                "फॉगिंग या छिड़काव नहीं (डेंगू, मलेरिया, कालाजार)",
                keywords_en=("fogging", "spraying", "dawa chhidkav", "mosquito", "machhar"),
                keywords_hi=("फॉगिंग", "छिड़काव", "मच्छर"),
            ),
            CategoryNode(
                "HEALTH-DISEASE-TB", "TB patient's Nikshay Poshan payment not received",
                "टीबी मरीज को निक्षय पोषण राशि नहीं मिली",
                keywords_en=("nikshay poshan", "tb patient", "tuberculosis"),
                keywords_hi=("निक्षय पोषण", "टीबी मरीज"),
            ),
        ),
    ),
    CategoryNode("HEALTH-OTHERS", "Others", "अन्य", others=True),
)


# ---------------------------------------------------------------------------
# Education Department (EDU)
# ---------------------------------------------------------------------------

_EDU: Final[tuple[CategoryNode, ...]] = (
    CategoryNode(
        "EDU-SCHOL", "Scholarships and incentive schemes", "छात्रवृत्ति एवं प्रोत्साहन योजनाएँ",
        keywords_en=("scholarship", "chhatravriti", "vazifa", "protsahan", "incentive", "dbt"),
        keywords_hi=("छात्रवृत्ति", "प्रोत्साहन राशि", "वजीफा"),
        children=(
            CategoryNode(
                "EDU-SCHOL-POSTMATRIC", "Post-matric scholarship not received", "पोस्ट-मैट्रिक छात्रवृत्ति नहीं मिली",
                keywords_en=("post matric", "pms", "post-matric scholarship", "college scholarship"),
                keywords_hi=("पोस्ट-मैट्रिक", "पोस्ट मैट्रिक छात्रवृत्ति"),
            ),
            CategoryNode(
                "EDU-SCHOL-CYCLE", "Cycle or uniform (poshak) scheme amount not received",
                "साइकिल या पोशाक योजना की राशि नहीं मिली",
                keywords_en=("cycle yojana", "poshak", "uniform", "dress", "cycle scheme"),
                keywords_hi=("साइकिल योजना", "पोशाक योजना", "ड्रेस"),
            ),
            CategoryNode(
                "EDU-SCHOL-KANYA", "Mukhyamantri Kanya Utthan Yojana incentive not received",
                "मुख्यमंत्री कन्या उत्थान योजना की प्रोत्साहन राशि नहीं मिली",
                keywords_en=("kanya utthan", "graduation incentive", "inter pass incentive", "girl student"),
                keywords_hi=("कन्या उत्थान", "स्नातक प्रोत्साहन", "इंटर पास प्रोत्साहन"),
            ),
            CategoryNode(
                "EDU-SCHOL-MERIT", "First-division incentive for matric / inter not received",
                "मैट्रिक / इंटर प्रथम श्रेणी प्रोत्साहन राशि नहीं मिली",
                keywords_en=("first division", "matric incentive", "inter incentive", "protsahan rashi"),
                keywords_hi=("प्रथम श्रेणी", "मैट्रिक प्रोत्साहन"),
            ),
            CategoryNode(
                "EDU-SCHOL-BSCC", "Bihar Student Credit Card loan pending", "बिहार स्टूडेंट क्रेडिट कार्ड ऋण लंबित",
                keywords_en=("student credit card", "bscc", "drcc", "education loan", "7 nischay"),
                keywords_hi=("स्टूडेंट क्रेडिट कार्ड", "शिक्षा ऋण", "डीआरसीसी"),
            ),
        ),
    ),
    CategoryNode(
        "EDU-MDM", "Mid-day meal (PM POSHAN)", "मध्याह्न भोजन (पीएम पोषण)",
        keywords_en=("mid day meal", "mdm", "khichdi", "bhojan", "pm poshan", "school meal"),
        keywords_hi=("मध्याह्न भोजन", "एमडीएम", "खिचड़ी", "भोजन"),
        children=(
            CategoryNode(
                "EDU-MDM-NOTSERVED", "Mid-day meal not being served", "मध्याह्न भोजन नहीं दिया जा रहा",
                keywords_en=("meal not served", "mdm band", "no food"),
                keywords_hi=("भोजन नहीं मिल रहा", "एमडीएम बंद"),
            ),
            CategoryNode(
                "EDU-MDM-QUALITY", "Poor quality or unhygienic meal", "भोजन की खराब गुणवत्ता या अस्वच्छता",
                keywords_en=("bad quality", "food poisoning", "lizard", "chhipkali", "insects"),
                keywords_hi=("खराब भोजन", "छिपकली", "कीड़े"),
            ),
            CategoryNode(
                "EDU-MDM-MENU", "Menu not followed or egg / fruit not given", "मेनू का पालन नहीं या अंडा / फल नहीं",
                keywords_en=("menu", "egg", "anda", "fruit"),
                keywords_hi=("मेनू", "अंडा", "फल"),
            ),
        ),
    ),
    CategoryNode(
        "EDU-SCHOOL", "School functioning", "विद्यालय संचालन",
        keywords_en=("school", "vidyalaya", "teacher", "shikshak", "master", "headmaster", "principal"),
        keywords_hi=("विद्यालय", "स्कूल", "शिक्षक", "प्रधानाध्यापक"),
        children=(
            CategoryNode(
                "EDU-SCHOOL-TEACHER", "Teacher absent or comes late", "शिक्षक अनुपस्थित या देर से आते हैं",
                keywords_en=("teacher absent", "master nahi aate", "late", "absent"),
                keywords_hi=("शिक्षक अनुपस्थित", "देर से आते"),
            ),
            CategoryNode(
                "EDU-SCHOOL-CLOSED", "School closed or not running regularly", "विद्यालय बंद या नियमित रूप से नहीं चलता",
                keywords_en=("school closed", "school band", "irregular"),
                keywords_hi=("विद्यालय बंद", "स्कूल बंद"),
            ),
            CategoryNode(
                "EDU-SCHOOL-ADMISSION", "Admission refused (including RTE 25% seats in private schools)",
                "नामांकन से इनकार (निजी विद्यालयों में आरटीई 25% सीट सहित)",
                keywords_en=("admission", "namankan", "rte", "25 percent", "private school"),
                keywords_hi=("नामांकन", "आरटीई", "निजी विद्यालय"),
            ),
            CategoryNode(
                "EDU-SCHOOL-FEE", "Illegal fees collected in a government school", "सरकारी विद्यालय में अवैध शुल्क वसूली",
                keywords_en=("illegal fee", "fees", "money demanded", "vasooli"),
                keywords_hi=("अवैध शुल्क", "वसूली", "फीस"),
                sensitive=True,
            ),
            CategoryNode(
                "EDU-SCHOOL-PUNISH", "Corporal punishment or harassment of students", "छात्रों को शारीरिक दंड या उत्पीड़न",
                keywords_en=("corporal punishment", "beating", "harassment", "student beaten"),
                keywords_hi=("शारीरिक दंड", "मारपीट", "उत्पीड़न"),
                sensitive=True,
            ),
        ),
    ),
    CategoryNode(
        "EDU-INFRA", "School infrastructure and supplies", "विद्यालय आधारभूत संरचना एवं सामग्री",
        keywords_en=("building", "classroom", "toilet", "shauchalay", "drinking water", "bench", "books"),
        keywords_hi=("भवन", "कक्षा", "शौचालय", "पेयजल", "बेंच-डेस्क", "किताब"),
        children=(
            CategoryNode(
                "EDU-INFRA-BUILDING", "Dilapidated building or too few classrooms", "जर्जर भवन या अपर्याप्त कक्षाएँ",
                keywords_en=("dilapidated", "jarjar", "roof leaking", "no classroom", "boundary wall"),
                keywords_hi=("जर्जर भवन", "छत टपकना", "चहारदीवारी"),
            ),
            CategoryNode(
                "EDU-INFRA-TOILET", "No usable toilet or drinking water", "उपयोग योग्य शौचालय या पेयजल नहीं",
                keywords_en=("toilet", "girls toilet", "hand pump", "drinking water"),
                keywords_hi=("शौचालय", "चापाकल", "पेयजल"),
            ),
            CategoryNode(
                "EDU-INFRA-FURNITURE", "Bench-desk or other furniture not available", "बेंच-डेस्क या अन्य फर्नीचर उपलब्ध नहीं",
                keywords_en=("bench", "desk", "furniture", "sitting on floor"),
                keywords_hi=("बेंच", "डेस्क", "फर्नीचर"),
            ),
            CategoryNode(
                "EDU-INFRA-BOOKS", "Free textbooks not received", "निःशुल्क पाठ्यपुस्तकें नहीं मिलीं",
                keywords_en=("books", "kitab", "textbook", "free books"),
                keywords_hi=("किताब", "पाठ्यपुस्तक"),
            ),
        ),
    ),
    CategoryNode(
        "EDU-EXAM", "Examinations, results and certificates", "परीक्षा, परीक्षाफल एवं प्रमाण पत्र",
        keywords_en=("exam", "result", "marksheet", "certificate", "board", "admit card"),
        keywords_hi=("परीक्षा", "परीक्षाफल", "अंकपत्र", "प्रमाण पत्र", "प्रवेश पत्र"),
        children=(
            CategoryNode(
                "EDU-EXAM-BSEB", "Bihar School Examination Board (matric / inter)",
                "बिहार विद्यालय परीक्षा समिति (मैट्रिक / इंटर)",
                keywords_en=("bseb", "bihar board", "matric", "inter", "intermediate", "10th", "12th"),
                keywords_hi=("बिहार बोर्ड", "मैट्रिक", "इंटर", "परीक्षा समिति"),
                children=(
                    CategoryNode(
                        "EDU-EXAM-BSEB-MARKSHEET", "Marksheet or certificate not received", "अंकपत्र या प्रमाण पत्र नहीं मिला",
                        keywords_en=("marksheet", "original certificate", "not received"),
                        keywords_hi=("अंकपत्र", "मूल प्रमाण पत्र"),
                    ),
                    CategoryNode(
                        "EDU-EXAM-BSEB-CORRECTION", "Correction of name or date of birth in the certificate",
                        "प्रमाण पत्र में नाम या जन्मतिथि में सुधार",
                        keywords_en=("name correction", "date of birth", "dob correction", "spelling mistake"),
                        keywords_hi=("नाम सुधार", "जन्मतिथि", "सुधार"),
                    ),
                    CategoryNode(
                        "EDU-EXAM-BSEB-SCRUTINY", "Scrutiny or result correction pending", "स्क्रूटनी या परीक्षाफल सुधार लंबित",
                        keywords_en=("scrutiny", "recheck", "result correction", "marks wrong"),
                        keywords_hi=("स्क्रूटनी", "अंक गलत"),
                    ),
                ),
            ),
            CategoryNode(
                "EDU-EXAM-SLC", "School leaving / transfer certificate not issued",
                "विद्यालय परित्याग / स्थानांतरण प्रमाण पत्र निर्गत नहीं",
                keywords_en=("slc", "tc", "transfer certificate", "school leaving certificate"),
                keywords_hi=("विद्यालय परित्याग प्रमाण पत्र", "स्थानांतरण प्रमाण पत्र", "टीसी"),
            ),
            CategoryNode(
                "EDU-EXAM-UNIV", "University marksheet, degree or result delayed",
                "विश्वविद्यालय अंकपत्र, डिग्री या परीक्षाफल में देरी",
                keywords_en=("university", "degree", "session late", "college result", "provisional certificate"),
                keywords_hi=("विश्वविद्यालय", "डिग्री", "सत्र विलंब"),
            ),
        ),
    ),
    CategoryNode(
        "EDU-TEACHER", "Teachers' service matters", "शिक्षकों के सेवा संबंधी मामले",
        keywords_en=("teacher salary", "vetan", "transfer", "tabadla", "arrear", "niyojit shikshak", "bpsc teacher"),
        keywords_hi=("शिक्षक वेतन", "वेतन", "स्थानांतरण", "बकाया", "नियोजित शिक्षक"),
        children=(
            CategoryNode(
                "EDU-TEACHER-SALARY", "Salary or arrears not paid", "वेतन या बकाया का भुगतान नहीं",
                keywords_en=("salary", "vetan", "arrear", "bakaya"),
                keywords_hi=("वेतन", "बकाया"),
            ),
            CategoryNode(
                "EDU-TEACHER-TRANSFER", "Transfer or posting request pending", "स्थानांतरण या पदस्थापन आवेदन लंबित",
                keywords_en=("transfer", "tabadla", "posting", "inter district transfer"),
                keywords_hi=("स्थानांतरण", "तबादला", "पदस्थापन"),
            ),
            CategoryNode(
                "EDU-TEACHER-RETIRE", "Teacher's retirement benefits or pension pending",
                "शिक्षक के सेवानिवृत्ति लाभ या पेंशन लंबित",
                keywords_en=("retirement", "gratuity", "gpf", "leave encashment"),
                keywords_hi=("सेवानिवृत्ति", "ग्रेच्युटी", "भविष्य निधि"),
            ),
        ),
    ),
    CategoryNode("EDU-OTHERS", "Others", "अन्य", others=True),
)


# ---------------------------------------------------------------------------
# Energy Department (ENERGY)
# ---------------------------------------------------------------------------

_ENERGY: Final[tuple[CategoryNode, ...]] = (
    CategoryNode(
        "ENERGY-CONN", "Connection services", "कनेक्शन संबंधी सेवाएँ",
        keywords_en=("connection", "new connection", "bijli connection", "naya connection", "load", "nbpdcl", "sbpdcl"),
        keywords_hi=("बिजली कनेक्शन", "नया कनेक्शन", "कनेक्शन"),
        children=(
            CategoryNode(
                "ENERGY-CONN-NEW", "New electricity connection", "नया बिजली कनेक्शन",
                keywords_en=("new connection", "naya connection", "new meter", "domestic connection"),
                keywords_hi=("नया कनेक्शन", "नया मीटर"),
                rts_days=7,
                children=(
                    CategoryNode(
                        "ENERGY-CONN-NEW-DELAY", "Connection not given after applying", "आवेदन के बाद भी कनेक्शन नहीं मिला",
                        keywords_en=("connection pending", "not given", "delay"),
                        keywords_hi=("कनेक्शन लंबित", "कनेक्शन नहीं मिला"),
                    ),
                    CategoryNode(
                        "ENERGY-CONN-NEW-POLE", "Pole or wire not installed for the connection",
                        "कनेक्शन के लिए पोल या तार नहीं लगाया गया",
                        keywords_en=("pole", "khamba", "wire", "service line", "tar"),
                        keywords_hi=("पोल", "खंभा", "तार"),
                    ),
                    CategoryNode(
                        "ENERGY-CONN-NEW-REJECT", "Connection application rejected or returned", "कनेक्शन आवेदन अस्वीकृत या वापस",
                        keywords_en=("rejected", "returned"),
                        keywords_hi=("अस्वीकृत", "वापस"),
                    ),
                ),
            ),
            CategoryNode(
                "ENERGY-CONN-LOAD", "Change of sanctioned load", "स्वीकृत भार (लोड) में परिवर्तन",
                keywords_en=("load change", "load increase", "load badhana", "kw"),
                keywords_hi=("भार वृद्धि", "लोड"),
                rts_days=15,
            ),
            CategoryNode(
                "ENERGY-CONN-NAME", "Change of name or category in the connection", "कनेक्शन में नाम या श्रेणी परिवर्तन",
                keywords_en=("name change", "naam badalna", "category change", "tariff change"),
                keywords_hi=("नाम परिवर्तन", "श्रेणी परिवर्तन"),
                rts_days=15,
            ),
            CategoryNode(
                "ENERGY-CONN-AGRI", "Agricultural pump connection (krishi)", "कृषि पंप कनेक्शन",
                keywords_en=("krishi connection", "agriculture", "pump", "boring", "kisan"),
                keywords_hi=("कृषि कनेक्शन", "पंप", "किसान"),
            ),
            CategoryNode(
                "ENERGY-CONN-RECONNECT", "Not reconnected after paying dues", "बकाया भुगतान के बाद भी पुनः कनेक्शन नहीं",
                keywords_en=("reconnection", "disconnected", "line kat gaya", "connection cut"),
                keywords_hi=("पुनः कनेक्शन", "कनेक्शन कटा"),
            ),
        ),
    ),
    CategoryNode(
        "ENERGY-BILL", "Electricity bill", "बिजली बिल",
        keywords_en=("bill", "bijli bill", "electricity bill", "excess bill", "wrong bill"),
        keywords_hi=("बिजली बिल", "बिल", "गलत बिल"),
        children=(
            CategoryNode(
                "ENERGY-BILL-EXCESS", "Excessive or wrong bill", "अधिक या गलत बिल",
                keywords_en=("excess bill", "high bill", "wrong bill", "zyada bill"),
                keywords_hi=("अधिक बिल", "ज्यादा बिल", "गलत बिल"),
            ),
            CategoryNode(
                "ENERGY-BILL-NOTRECEIVED", "Bill not received or average (estimated) billing",
                "बिल नहीं मिला या औसत (अनुमानित) बिलिंग",
                keywords_en=("bill not received", "average bill", "no meter reading"),
                keywords_hi=("बिल नहीं मिला", "औसत बिल", "मीटर रीडिंग"),
            ),
            CategoryNode(
                "ENERGY-BILL-PAYMENT", "Payment not updated in the account", "भुगतान खाते में अद्यतन नहीं",
                keywords_en=("payment not updated", "paid but", "online payment", "double payment"),
                keywords_hi=("भुगतान अद्यतन नहीं", "ऑनलाइन भुगतान"),
            ),
            CategoryNode(
                "ENERGY-BILL-FREEUNITS", "125 free units benefit not applied in the bill",
                "125 यूनिट निःशुल्क बिजली का लाभ बिल में नहीं",
                keywords_en=("125 unit", "free electricity", "muft bijli", "subsidy"),
                keywords_hi=("125 यूनिट", "मुफ्त बिजली", "अनुदान"),
            ),
        ),
    ),
    CategoryNode(
        "ENERGY-METER", "Electricity meter", "बिजली मीटर",
        keywords_en=("meter", "smart meter", "prepaid meter", "meter fast", "faulty meter"),
        keywords_hi=("मीटर", "स्मार्ट मीटर", "प्रीपेड मीटर"),
        children=(
            CategoryNode(
                "ENERGY-METER-FAULTY", "Faulty or fast-running meter", "खराब या तेज चलने वाला मीटर",
                keywords_en=("meter fast", "faulty meter", "meter kharab", "meter jumping"),
                keywords_hi=("मीटर खराब", "मीटर तेज"),
            ),
            CategoryNode(
                "ENERGY-METER-SMART", "Smart prepaid meter recharge or balance problem",
                "स्मार्ट प्रीपेड मीटर रिचार्ज या बैलेंस की समस्या",
                keywords_en=("smart meter", "recharge", "balance", "negative balance", "prepaid"),
                keywords_hi=("स्मार्ट मीटर", "रिचार्ज", "बैलेंस"),
            ),
            CategoryNode(
                "ENERGY-METER-REPLACE", "Meter not replaced or shifted", "मीटर नहीं बदला गया या स्थानांतरित नहीं",
                keywords_en=("meter replacement", "meter shifting", "meter burnt"),
                keywords_hi=("मीटर बदलना", "मीटर जला"),
            ),
        ),
    ),
    CategoryNode(
        "ENERGY-SUPPLY", "Power supply", "विद्युत आपूर्ति",
        keywords_en=("power cut", "bijli nahi", "outage", "load shedding", "light nahi", "voltage", "transformer"),
        keywords_hi=("बिजली कटौती", "बिजली नहीं", "वोल्टेज", "ट्रांसफार्मर"),
        children=(
            CategoryNode(
                "ENERGY-SUPPLY-OUTAGE", "Frequent or long power cuts", "बार-बार या लंबी बिजली कटौती",
                keywords_en=("power cut", "outage", "no electricity", "bijli gul"),
                keywords_hi=("बिजली कटौती", "बिजली गुल"),
            ),
            CategoryNode(
                "ENERGY-SUPPLY-VOLTAGE", "Low or fluctuating voltage", "कम या अस्थिर वोल्टेज",
                keywords_en=("low voltage", "fluctuation", "tripping"),
                keywords_hi=("लो वोल्टेज", "कम वोल्टेज"),
            ),
            CategoryNode(
                "ENERGY-SUPPLY-TRANSFORMER", "Transformer burnt or not replaced", "ट्रांसफार्मर जला या नहीं बदला गया",
                keywords_en=("transformer", "transformer burnt", "transformer jal gaya", "dtr"),
                keywords_hi=("ट्रांसफार्मर", "ट्रांसफार्मर जला"),
            ),
            CategoryNode(
                "ENERGY-SUPPLY-LINE", "Broken or dangerously hanging wire or pole", "टूटा या खतरनाक ढंग से लटका तार या पोल",
                keywords_en=("broken wire", "hanging wire", "tar toota", "pole fallen", "danger"),
                keywords_hi=("टूटा तार", "लटका तार", "पोल गिरा"),
            ),
            CategoryNode(
                "ENERGY-SUPPLY-THEFT", "Power theft or illegal hooking", "बिजली चोरी या अवैध हुकिंग",
                keywords_en=("power theft", "bijli chori", "hooking", "katiya"),
                keywords_hi=("बिजली चोरी", "हुकिंग", "कटिया"),
            ),
        ),
    ),
    CategoryNode(
        "ENERGY-STAFF", "Conduct of electricity staff", "बिजली कर्मियों का आचरण",
        keywords_en=("lineman", "junior engineer", "je", "meter reader", "bijli vibhag"),
        keywords_hi=("लाइनमैन", "कनीय अभियंता", "मीटर रीडर"),
        children=(
            CategoryNode(
                "ENERGY-STAFF-BRIBE", "Bribe demanded by electricity staff", "बिजली कर्मियों द्वारा रिश्वत की माँग",
                keywords_en=("bribe", "rishwat", "ghoos", "ghus", "corruption", "money demanded"),
                keywords_hi=("रिश्वत", "घूस", "भ्रष्टाचार"),
                sensitive=True,
            ),
            CategoryNode(
                "ENERGY-STAFF-MISBEHAVE", "Misbehaviour by electricity staff or meter reader",
                "बिजली कर्मी या मीटर रीडर द्वारा दुर्व्यवहार",
                keywords_en=("misbehaviour", "rude", "not responding"),
                keywords_hi=("दुर्व्यवहार",),
            ),
        ),
    ),
    CategoryNode("ENERGY-OTHERS", "Others", "अन्य", others=True),
)


# ---------------------------------------------------------------------------
# Food and Consumer Protection Department (FOOD)
# ---------------------------------------------------------------------------

_FOOD: Final[tuple[CategoryNode, ...]] = (
    CategoryNode(
        "FOOD-CARD", "Ration card", "राशन कार्ड",
        keywords_en=("ration card", "rashan card", "new ration card", "add name", "nfsa", "supply office"),
        keywords_hi=("राशन कार्ड", "आपूर्ति कार्यालय"),
        children=(
            CategoryNode(
                "FOOD-CARD-NEW", "New ration card", "नया राशन कार्ड",
                keywords_en=("new ration card", "naya rashan card", "ration card banana"),
                keywords_hi=("नया राशन कार्ड",),
                rts_days=30,
                children=(
                    CategoryNode(
                        "FOOD-CARD-NEW-DELAY", "Ration card not issued within the time limit",
                        "समय-सीमा में राशन कार्ड निर्गत नहीं",
                        keywords_en=("pending", "delay", "not issued"),
                        keywords_hi=("लंबित", "निर्गत नहीं"),
                    ),
                    CategoryNode(
                        "FOOD-CARD-NEW-REJECT", "Ration card application wrongly rejected",
                        "राशन कार्ड आवेदन गलत तरीके से अस्वीकृत",
                        keywords_en=("rejected", "radd"),
                        keywords_hi=("अस्वीकृत", "रद्द"),
                    ),
                ),
            ),
            CategoryNode(
                "FOOD-CARD-MEMBER", "Adding or removing a family member", "परिवार के सदस्य का नाम जोड़ना या हटाना",
                keywords_en=("add member", "naam jodna", "remove name", "child name", "wife name"),
                keywords_hi=("नाम जोड़ना", "नाम हटाना", "सदस्य"),
                rts_days=30,
            ),
            CategoryNode(
                "FOOD-CARD-CORRECTION", "Correction of details in the ration card", "राशन कार्ड में विवरण सुधार",
                keywords_en=("correction", "wrong name", "address change"),
                keywords_hi=("सुधार", "गलत नाम"),
                rts_days=30,
            ),
            CategoryNode(
                "FOOD-CARD-CANCELLED", "Ration card cancelled or name deleted without reason",
                "बिना कारण राशन कार्ड रद्द या नाम हटाया गया",
                keywords_en=("card cancelled", "name deleted", "card band"),
                keywords_hi=("कार्ड रद्द", "नाम कटा"),
            ),
            CategoryNode(
                "FOOD-CARD-EKYC", "Aadhaar seeding or e-KYC problem", "आधार सीडिंग या ई-केवाईसी की समस्या",
                keywords_en=("ekyc", "e-kyc", "aadhaar seeding", "aadhaar link"),
                keywords_hi=("ई-केवाईसी", "आधार सीडिंग", "आधार लिंक"),
            ),
            CategoryNode(
                "FOOD-CARD-BRIBE", "Bribe demanded by supply office staff", "आपूर्ति कार्यालय कर्मियों द्वारा रिश्वत की माँग",
                keywords_en=("bribe", "rishwat", "ghoos", "ghus", "corruption", "money demanded"),
                keywords_hi=("रिश्वत", "घूस", "भ्रष्टाचार"),
                sensitive=True,
            ),
        ),
    ),
    CategoryNode(
        "FOOD-PDS", "Ration distribution (PDS dealer)", "राशन वितरण (जन वितरण प्रणाली विक्रेता)",
        keywords_en=("ration", "rashan", "pds", "dealer", "pds shop", "anaj", "gehun", "chawal", "free ration"),
        keywords_hi=("राशन", "डीलर", "जन वितरण प्रणाली", "अनाज", "गेहूं", "चावल"),
        children=(
            CategoryNode(
                "FOOD-PDS-NOTGIVEN", "Dealer not giving ration", "डीलर द्वारा राशन नहीं दिया जा रहा",
                keywords_en=("ration not given", "rashan nahi mila", "dealer refused"),
                keywords_hi=("राशन नहीं मिला", "राशन नहीं दिया"),
            ),
            CategoryNode(
                "FOOD-PDS-WEIGHT", "Short weight or less quantity given", "कम तौल या कम मात्रा में राशन",
                keywords_en=("short weight", "kam taul", "less ration", "kam rashan"),
                keywords_hi=("कम तौल", "कम राशन"),
            ),
            CategoryNode(
                "FOOD-PDS-MONEY", "Money charged for free ration", "निःशुल्क राशन के लिए पैसे की वसूली",
                keywords_en=("money charged", "paisa liya", "overcharging", "vasooli"),
                keywords_hi=("पैसे की वसूली", "पैसा लिया"),
                sensitive=True,
            ),
            CategoryNode(
                "FOOD-PDS-QUALITY", "Poor quality grain", "खराब गुणवत्ता का अनाज",
                keywords_en=("bad quality", "rotten grain", "kharab anaj"),
                keywords_hi=("खराब अनाज", "सड़ा अनाज"),
            ),
            CategoryNode(
                "FOOD-PDS-CLOSED", "PDS shop not opening on time", "जन वितरण दुकान समय पर नहीं खुलती",
                keywords_en=("shop closed", "dukan band", "irregular"),
                keywords_hi=("दुकान बंद", "समय पर नहीं खुलती"),
            ),
            CategoryNode(
                "FOOD-PDS-EPOS", "Biometric (ePoS) authentication failure", "बायोमेट्रिक (ई-पॉस) सत्यापन विफल",
                keywords_en=("thumb", "angutha", "fingerprint", "pos machine", "biometric"),
                keywords_hi=("अंगूठा", "बायोमेट्रिक", "ई-पॉस मशीन"),
            ),
            CategoryNode(
                "FOOD-PDS-ONORC", "Ration refused under One Nation One Ration Card",
                "वन नेशन वन राशन कार्ड के तहत राशन देने से इनकार",
                keywords_en=("one nation one ration card", "onorc", "portability", "migrant"),
                keywords_hi=("वन नेशन वन राशन कार्ड", "पोर्टेबिलिटी", "प्रवासी"),
            ),
        ),
    ),
    CategoryNode(
        "FOOD-CONSUMER", "Consumer protection and legal metrology", "उपभोक्ता संरक्षण एवं विधिक माप विज्ञान",
        keywords_en=("consumer", "weights and measures", "naap taul", "mrp", "overcharging", "black marketing"),
        keywords_hi=("उपभोक्ता", "नाप-तौल", "एमआरपी", "कालाबाजारी"),
        children=(
            CategoryNode(
                "FOOD-CONSUMER-WEIGHT", "Wrong weights or measures at a shop or petrol pump",
                "दुकान या पेट्रोल पंप पर गलत नाप-तौल",
                keywords_en=("wrong weight", "petrol pump", "kam tel", "tampered scale"),
                keywords_hi=("गलत तौल", "पेट्रोल पंप", "कम तेल"),
            ),
            CategoryNode(
                "FOOD-CONSUMER-MRP", "Goods sold above MRP", "एमआरपी से अधिक मूल्य पर बिक्री",
                keywords_en=("above mrp", "mrp", "overpriced"),
                keywords_hi=("एमआरपी से अधिक", "अधिक मूल्य"),
            ),
            CategoryNode(
                "FOOD-CONSUMER-HOARD", "Hoarding or black marketing of essential goods",
                "आवश्यक वस्तुओं की जमाखोरी या कालाबाजारी",
                keywords_en=("hoarding", "black marketing", "jamakhori", "fertiliser", "lpg black"),
                keywords_hi=("जमाखोरी", "कालाबाजारी"),
            ),
        ),
    ),
    CategoryNode("FOOD-OTHERS", "Others", "अन्य", others=True),
)


# ---------------------------------------------------------------------------
# Rural Development Department (RDD)
# ---------------------------------------------------------------------------

_RDD: Final[tuple[CategoryNode, ...]] = (
    CategoryNode(
        "RDD-NREGA", "MGNREGA (job card, work and wages)", "मनरेगा (जॉब कार्ड, काम एवं मजदूरी)",
        keywords_en=("mgnrega", "nrega", "manrega", "job card", "rozgar", "mazdoori", "majduri", "wages", "naukri"),
        keywords_hi=("मनरेगा", "जॉब कार्ड", "मजदूरी", "रोजगार"),
        children=(
            CategoryNode(
                "RDD-NREGA-JOBCARD", "Job card", "जॉब कार्ड",
                keywords_en=("job card", "jobcard"),
                keywords_hi=("जॉब कार्ड",),
                rts_days=15,
                children=(
                    CategoryNode(
                        "RDD-NREGA-JOBCARD-NEW", "Job card not issued", "जॉब कार्ड निर्गत नहीं",
                        keywords_en=("new job card", "not issued"),
                        keywords_hi=("नया जॉब कार्ड", "निर्गत नहीं"),
                    ),
                    CategoryNode(
                        "RDD-NREGA-JOBCARD-HELD", "Job card kept by the mukhiya or rozgar sevak",
                        "जॉब कार्ड मुखिया या रोजगार सेवक के पास रखा गया",
                        keywords_en=("job card kept", "mukhiya", "rozgar sevak"),
                        keywords_hi=("मुखिया", "रोजगार सेवक"),
                    ),
                ),
            ),
            CategoryNode(
                "RDD-NREGA-WORK", "Work not given on demand", "माँगने पर काम नहीं मिला",
                keywords_en=("work demand", "kaam nahi mila", "no work", "unemployment allowance"),
                keywords_hi=("काम नहीं मिला", "बेरोजगारी भत्ता"),
                rts_days=15,
            ),
            CategoryNode(
                "RDD-NREGA-WAGES", "Wages not paid or paid late", "मजदूरी का भुगतान नहीं या देर से",
                keywords_en=("wages unpaid", "mazdoori nahi mili", "payment pending", "fto"),
                keywords_hi=("मजदूरी नहीं मिली", "भुगतान लंबित"),
            ),
            CategoryNode(
                "RDD-NREGA-FAKE", "Fake muster roll or work done by machine", "फर्जी मस्टर रोल या मशीन से काम",
                keywords_en=("fake muster roll", "jcb", "machine", "fake attendance", "fraud"),
                keywords_hi=("फर्जी मस्टर रोल", "जेसीबी", "मशीन से काम", "फर्जीवाड़ा"),
                sensitive=True,
            ),
        ),
    ),
    CategoryNode(
        "RDD-AWAS", "Rural housing (PM Awas Yojana - Gramin)", "ग्रामीण आवास (प्रधानमंत्री आवास योजना - ग्रामीण)",
        keywords_en=("awas", "pm awas", "pmay", "pmay-g", "indira awas", "ghar", "makan", "kist", "installment"),
        keywords_hi=("आवास", "प्रधानमंत्री आवास", "आवास योजना", "किस्त", "मकान"),
        children=(
            CategoryNode(
                "RDD-AWAS-LIST", "Name not in the beneficiary list despite eligibility",
                "पात्र होने पर भी लाभार्थी सूची में नाम नहीं",
                keywords_en=("name not in list", "awas plus", "survey", "eligible"),
                keywords_hi=("सूची में नाम नहीं", "आवास प्लस", "पात्र"),
            ),
            CategoryNode(
                "RDD-AWAS-INSTALMENT", "Housing installment not received", "आवास की किस्त नहीं मिली",
                keywords_en=("installment", "instalment", "kist nahi mili", "second installment"),
                keywords_hi=("किस्त नहीं मिली", "दूसरी किस्त"),
            ),
            CategoryNode(
                "RDD-AWAS-BRIBE", "Bribe demanded for sanction or release of an installment",
                "स्वीकृति या किस्त जारी करने के लिए रिश्वत की माँग",
                keywords_en=("bribe", "rishwat", "ghoos", "ghus", "commission", "corruption"),
                keywords_hi=("रिश्वत", "घूस", "कमीशन"),
                sensitive=True,
            ),
            CategoryNode(
                "RDD-AWAS-GEOTAG", "Geo-tagging or inspection not done", "जियो-टैगिंग या निरीक्षण नहीं हुआ",
                keywords_en=("geotag", "geo tagging", "inspection"),
                keywords_hi=("जियो-टैगिंग", "निरीक्षण"),
            ),
        ),
    ),
    CategoryNode(
        "RDD-LIVELIHOOD", "JEEViKA (self-help groups)", "जीविका (स्वयं सहायता समूह)",
        keywords_en=("jeevika", "jivika", "shg", "self help group", "didi", "samuh", "livelihood"),
        keywords_hi=("जीविका", "जीविका दीदी", "स्वयं सहायता समूह", "समूह"),
        children=(
            CategoryNode(
                "RDD-LIVELIHOOD-LOAN", "Group loan or community fund not released", "समूह ऋण या सामुदायिक निधि जारी नहीं",
                keywords_en=("loan", "group loan", "cif", "bank linkage"),
                keywords_hi=("ऋण", "समूह ऋण", "सामुदायिक निधि"),
            ),
            CategoryNode(
                "RDD-LIVELIHOOD-SJY", "Satat Jeevikoparjan Yojana benefit not received",
                "सतत जीविकोपार्जन योजना का लाभ नहीं मिला",
                keywords_en=("satat jeevikoparjan", "sjy", "ultra poor"),
                keywords_hi=("सतत जीविकोपार्जन",),
            ),
            CategoryNode(
                "RDD-LIVELIHOOD-MISUSE", "Misuse of group funds by office bearers or staff",
                "पदाधिकारियों या कर्मियों द्वारा समूह निधि का दुरुपयोग",
                keywords_en=("misuse", "fund misuse", "embezzlement", "crp"),
                keywords_hi=("दुरुपयोग", "गबन"),
                sensitive=True,
            ),
        ),
    ),
    CategoryNode(
        "RDD-ROAD", "Rural roads and works", "ग्रामीण सड़क एवं निर्माण कार्य",
        keywords_en=("road", "sadak", "rural road", "pcc", "nali", "gali", "culvert", "pmgsy"),
        keywords_hi=("सड़क", "ग्रामीण सड़क", "नाली-गली", "पुलिया"),
        children=(
            CategoryNode(
                "RDD-ROAD-DAMAGED", "Rural road damaged or not repaired", "ग्रामीण सड़क क्षतिग्रस्त या मरम्मत नहीं",
                keywords_en=("damaged road", "potholes", "gadda", "repair"),
                keywords_hi=("टूटी सड़क", "गड्ढा", "मरम्मत"),
            ),
            CategoryNode(
                "RDD-ROAD-QUALITY", "Poor quality construction", "निर्माण कार्य की खराब गुणवत्ता",
                keywords_en=("poor quality", "substandard", "ghatiya"),
                keywords_hi=("घटिया निर्माण", "खराब गुणवत्ता"),
            ),
            CategoryNode(
                "RDD-ROAD-INCOMPLETE", "Sanctioned work not started or left incomplete", "स्वीकृत कार्य शुरू नहीं या अधूरा",
                keywords_en=("incomplete", "not started", "adhura"),
                keywords_hi=("अधूरा", "शुरू नहीं"),
            ),
        ),
    ),
    CategoryNode(
        "RDD-LSBA", "Sanitation (Lohiya Swachh Bihar Abhiyan)", "स्वच्छता (लोहिया स्वच्छ बिहार अभियान)",
        keywords_en=("toilet", "shauchalay", "lsba", "swachh bharat", "kachra", "garbage", "sanitation"),
        keywords_hi=("शौचालय", "स्वच्छता", "कचरा", "लोहिया स्वच्छ बिहार"),
        children=(
            CategoryNode(
                "RDD-LSBA-TOILET", "Toilet incentive (Rs 12,000) not received", "शौचालय प्रोत्साहन राशि (12,000 रुपये) नहीं मिली",
                keywords_en=("toilet money", "12000", "shauchalay paisa", "incentive"),
                keywords_hi=("शौचालय प्रोत्साहन राशि", "12000"),
            ),
            CategoryNode(
                "RDD-LSBA-WASTE", "Village waste collection not working", "गाँव में कचरा संग्रहण नहीं हो रहा",
                keywords_en=("garbage", "kachra", "waste collection", "swachhata karmi"),
                keywords_hi=("कचरा", "कचरा संग्रहण"),
            ),
        ),
    ),
    CategoryNode(
        "RDD-BLOCK", "Block office (BDO) and staff", "प्रखंड कार्यालय (बीडीओ) एवं कर्मी",
        keywords_en=("bdo", "block", "prakhand", "block office", "panchayat sachiv", "rozgar sevak"),
        keywords_hi=("प्रखंड", "बीडीओ", "प्रखंड विकास पदाधिकारी", "पंचायत सचिव"),
        children=(
            CategoryNode(
                "RDD-BLOCK-ABSENT", "Officials absent from the block office", "प्रखंड कार्यालय में पदाधिकारी अनुपस्थित",
                keywords_en=("absent", "office closed", "not available"),
                keywords_hi=("अनुपस्थित", "कार्यालय बंद"),
            ),
            CategoryNode(
                "RDD-BLOCK-BRIBE", "Bribe demanded by block staff", "प्रखंड कर्मियों द्वारा रिश्वत की माँग",
                keywords_en=("bribe", "rishwat", "ghoos", "ghus", "corruption", "commission"),
                keywords_hi=("रिश्वत", "घूस", "कमीशन"),
                sensitive=True,
            ),
        ),
    ),
    CategoryNode("RDD-OTHERS", "Others", "अन्य", others=True),
)


# ---------------------------------------------------------------------------
# Social Welfare Department (SWD)
# ---------------------------------------------------------------------------

_SWD: Final[tuple[CategoryNode, ...]] = (
    CategoryNode(
        "SWD-PENSION", "Social security pensions", "सामाजिक सुरक्षा पेंशन",
        keywords_en=("pension", "old age pension", "vridha pension", "budhapa pension", "widow pension", "viklang pension"),
        keywords_hi=("पेंशन", "वृद्धावस्था पेंशन", "बुढ़ापा पेंशन", "विधवा पेंशन", "दिव्यांग पेंशन"),
        children=(
            CategoryNode(
                "SWD-PENSION-OLDAGE", "Old age pension", "वृद्धजन पेंशन",
                keywords_en=("old age pension", "vridhjan pension", "budhapa", "senior citizen pension"),
                keywords_hi=("वृद्धजन पेंशन", "वृद्धावस्था पेंशन", "बुढ़ापा पेंशन"),
                rts_days=21,
                children=(
                    CategoryNode(
                        "SWD-PENSION-OLDAGE-SANCTION", "Old age pension application not sanctioned",
                        "वृद्धजन पेंशन आवेदन स्वीकृत नहीं",
                        keywords_en=("not sanctioned", "application pending"),
                        keywords_hi=("स्वीकृत नहीं", "आवेदन लंबित"),
                    ),
                    CategoryNode(
                        "SWD-PENSION-OLDAGE-STOPPED", "Old age pension stopped or not received",
                        "वृद्धजन पेंशन बंद या नहीं मिली",
                        keywords_en=("pension stopped", "pension band", "not received", "life certificate"),
                        keywords_hi=("पेंशन बंद", "पेंशन नहीं मिली", "जीवन प्रमाण पत्र"),
                    ),
                ),
            ),
            CategoryNode(
                "SWD-PENSION-WIDOW", "Widow pension", "विधवा पेंशन",
                keywords_en=("widow pension", "vidhwa pension", "laxmibai pension"),
                keywords_hi=("विधवा पेंशन", "लक्ष्मीबाई पेंशन"),
                rts_days=21,
                children=(
                    CategoryNode(
                        "SWD-PENSION-WIDOW-SANCTION", "Widow pension application not sanctioned",
                        "विधवा पेंशन आवेदन स्वीकृत नहीं",
                        keywords_en=("not sanctioned", "application pending"),
                        keywords_hi=("स्वीकृत नहीं", "आवेदन लंबित"),
                    ),
                    CategoryNode(
                        "SWD-PENSION-WIDOW-STOPPED", "Widow pension stopped or not received", "विधवा पेंशन बंद या नहीं मिली",
                        keywords_en=("pension stopped", "pension band", "not received"),
                        keywords_hi=("पेंशन बंद", "पेंशन नहीं मिली"),
                    ),
                ),
            ),
            CategoryNode(
                "SWD-PENSION-DIVYANG", "Disability pension", "दिव्यांग पेंशन",
                keywords_en=("disability pension", "viklang pension", "divyang pension", "handicapped pension"),
                keywords_hi=("दिव्यांग पेंशन", "विकलांग पेंशन"),
                rts_days=21,
                children=(
                    CategoryNode(
                        "SWD-PENSION-DIVYANG-SANCTION", "Disability pension application not sanctioned",
                        "दिव्यांग पेंशन आवेदन स्वीकृत नहीं",
                        keywords_en=("not sanctioned", "application pending"),
                        keywords_hi=("स्वीकृत नहीं", "आवेदन लंबित"),
                    ),
                    CategoryNode(
                        "SWD-PENSION-DIVYANG-STOPPED", "Disability pension stopped or not received",
                        "दिव्यांग पेंशन बंद या नहीं मिली",
                        keywords_en=("pension stopped", "pension band", "not received"),
                        keywords_hi=("पेंशन बंद", "पेंशन नहीं मिली"),
                    ),
                ),
            ),
            CategoryNode(
                "SWD-PENSION-BRIBE", "Bribe demanded by block or social security staff",
                "प्रखंड या सामाजिक सुरक्षा कर्मियों द्वारा रिश्वत की माँग",
                keywords_en=("bribe", "rishwat", "ghoos", "ghus", "corruption", "money demanded"),
                keywords_hi=("रिश्वत", "घूस", "भ्रष्टाचार"),
                sensitive=True,
            ),
        ),
    ),
    CategoryNode(
        "SWD-DIVYANG", "Persons with disabilities", "दिव्यांगजन",
        keywords_en=("disability", "divyang", "viklang", "handicapped", "udid"),
        keywords_hi=("दिव्यांग", "दिव्यांगजन", "विकलांग"),
        children=(
            CategoryNode(
                "SWD-DIVYANG-CERT", "Disability certificate or UDID card", "दिव्यांगता प्रमाण पत्र या यूडीआईडी कार्ड",
                keywords_en=("disability certificate", "viklang praman patra", "udid card", "medical board"),
                keywords_hi=("दिव्यांगता प्रमाण पत्र", "विकलांग प्रमाण पत्र", "यूडीआईडी"),
                rts_days=30,
            ),
            CategoryNode(
                "SWD-DIVYANG-AIDS", "Assistive devices (tricycle, wheelchair, hearing aid) not given",
                "सहायक उपकरण (ट्राइसाइकिल, व्हीलचेयर, श्रवण यंत्र) नहीं मिले",
                keywords_en=("tricycle", "wheelchair", "hearing aid", "battery tricycle", "sambal"),
                keywords_hi=("ट्राइसाइकिल", "व्हीलचेयर", "श्रवण यंत्र", "सम्बल"),
            ),
        ),
    ),
    CategoryNode(
        "SWD-ANGANWADI", "Anganwadi services (ICDS)", "आंगनबाड़ी सेवाएँ (आईसीडीएस)",
        keywords_en=("anganwadi", "aanganwadi", "icds", "sevika", "sahayika", "poshahar", "take home ration", "kuposhan"),
        keywords_hi=("आंगनबाड़ी", "सेविका", "सहायिका", "पोषाहार", "कुपोषण"),
        children=(
            CategoryNode(
                "SWD-ANGANWADI-CLOSED", "Anganwadi centre not opening regularly", "आंगनबाड़ी केंद्र नियमित रूप से नहीं खुलता",
                keywords_en=("centre closed", "kendra band", "sevika absent"),
                keywords_hi=("केंद्र बंद", "सेविका अनुपस्थित"),
            ),
            CategoryNode(
                "SWD-ANGANWADI-THR", "Take-home ration or supplementary nutrition not given",
                "टेक होम राशन या पूरक पोषाहार नहीं मिला",
                keywords_en=("thr", "take home ration", "poshahar", "nutrition"),
                keywords_hi=("टेक होम राशन", "पोषाहार"),
            ),
            CategoryNode(
                "SWD-ANGANWADI-PMMVY", "PM Matru Vandana Yojana amount not received",
                "प्रधानमंत्री मातृ वंदना योजना की राशि नहीं मिली",
                keywords_en=("matru vandana", "pmmvy", "pregnant women money"),
                keywords_hi=("मातृ वंदना", "गर्भवती महिला"),
            ),
            CategoryNode(
                "SWD-ANGANWADI-SELECTION", "Irregularity in sevika or sahayika selection", "सेविका या सहायिका चयन में अनियमितता",
                keywords_en=("sevika selection", "sahayika selection", "aam sabha", "appointment"),
                keywords_hi=("सेविका चयन", "आमसभा", "अनियमितता"),
            ),
        ),
    ),
    CategoryNode(
        "SWD-CHILD", "Child protection", "बाल संरक्षण",
        keywords_en=("child", "bachcha", "child protection", "1098", "childline", "orphan", "anath"),
        keywords_hi=("बाल संरक्षण", "बच्चा", "चाइल्डलाइन", "अनाथ"),
        children=(
            CategoryNode(
                "SWD-CHILD-MARRIAGE", "Child marriage", "बाल विवाह",
                keywords_en=("child marriage", "bal vivah", "minor marriage"),
                keywords_hi=("बाल विवाह", "नाबालिग विवाह"),
                sensitive=True,
            ),
            CategoryNode(
                "SWD-CHILD-LABOUR", "Child labour or child trafficking", "बाल श्रम या बाल तस्करी",
                keywords_en=("child labour", "bal shram", "trafficking", "taskari", "bal majdoor"),
                keywords_hi=("बाल श्रम", "बाल मजदूर", "तस्करी"),
                sensitive=True,
            ),
            CategoryNode(
                "SWD-CHILD-HOME", "Abuse or poor conditions in a children's home", "बाल गृह में दुर्व्यवहार या खराब स्थिति",
                keywords_en=("children home", "bal grih", "shelter home", "abuse"),
                keywords_hi=("बाल गृह", "आश्रय गृह", "दुर्व्यवहार"),
                sensitive=True,
            ),
            CategoryNode(
                "SWD-CHILD-PARVARISH", "Parvarish or sponsorship assistance not received",
                "परवरिश या प्रायोजन सहायता राशि नहीं मिली",
                keywords_en=("parvarish", "sponsorship", "foster care", "orphan assistance"),
                keywords_hi=("परवरिश", "प्रायोजन", "अनाथ सहायता"),
            ),
        ),
    ),
    CategoryNode(
        "SWD-WOMEN", "Women's welfare", "महिला कल्याण",
        keywords_en=("one stop centre", "sakhi", "mahila helpline", "181", "kanya vivah", "women welfare"),
        keywords_hi=("वन स्टॉप सेंटर", "महिला हेल्पलाइन", "कन्या विवाह योजना", "महिला कल्याण"),
        children=(
            CategoryNode(
                "SWD-WOMEN-OSC", "No help from the One Stop Centre or Women Helpline 181",
                "वन स्टॉप सेंटर या महिला हेल्पलाइन 181 से सहायता नहीं",
                keywords_en=("one stop centre", "osc", "181", "women helpline", "domestic violence"),
                keywords_hi=("वन स्टॉप सेंटर", "181", "घरेलू हिंसा"),
                sensitive=True,
            ),
            CategoryNode(
                "SWD-WOMEN-VIVAH", "Mukhyamantri Kanya Vivah Yojana amount not received",
                "मुख्यमंत्री कन्या विवाह योजना की राशि नहीं मिली",
                keywords_en=("kanya vivah", "marriage assistance", "shaadi yojana"),
                keywords_hi=("कन्या विवाह", "विवाह सहायता"),
            ),
        ),
    ),
    CategoryNode(
        "SWD-SENIOR", "Senior citizens", "वरिष्ठ नागरिक",
        keywords_en=("senior citizen", "elderly", "buzurg", "old age home", "vridhashram"),
        keywords_hi=("वरिष्ठ नागरिक", "बुजुर्ग", "वृद्धाश्रम"),
        children=(
            CategoryNode(
                "SWD-SENIOR-MAINTENANCE", "Children not maintaining their parents (Maintenance Act)",
                "संतान द्वारा माता-पिता का भरण-पोषण नहीं (भरण-पोषण अधिनियम)",
                keywords_en=("maintenance", "bharan poshan", "parents neglected", "maintenance tribunal"),
                keywords_hi=("भरण-पोषण", "माता-पिता की उपेक्षा"),
            ),
            CategoryNode(
                "SWD-SENIOR-HOME", "Poor facilities in an old age home (Sahara)", "वृद्धाश्रम (सहारा) में सुविधाओं की कमी",
                keywords_en=("old age home", "sahara", "vridhashram"),
                keywords_hi=("वृद्धाश्रम", "सहारा"),
            ),
        ),
    ),
    CategoryNode("SWD-OTHERS", "Others", "अन्य", others=True),
)


# ---------------------------------------------------------------------------
# All trees
# ---------------------------------------------------------------------------

CATEGORY_TREES: Final[dict[str, tuple[CategoryNode, ...]]] = {
    "REV": _REV,
    "HOME": _HOME,
    "HEALTH": _HEALTH,
    "EDU": _EDU,
    "ENERGY": _ENERGY,
    "FOOD": _FOOD,
    "RDD": _RDD,
    "SWD": _SWD,
}


def _paths(node: CategoryNode, above: tuple[CategoryNode, ...]) -> Iterator[tuple[CategoryNode, ...]]:
    path = (*above, node)
    if not node.children:
        yield path
    for child in node.children:
        yield from _paths(child, path)


def iter_leaves() -> Iterator[tuple[str, tuple[CategoryNode, ...]]]:
    """(department code, path from the top-level node down to the leaf) for every leaf."""
    for department, nodes in CATEGORY_TREES.items():
        for node in nodes:
            for path in _paths(node, ()):
                yield department, path
