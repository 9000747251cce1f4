"""Message texts per template and language (English and Hindi), kept short for SMS."""

from __future__ import annotations

from collections.abc import Mapping

TEMPLATES: Mapping[str, Mapping[str, str]] = {
    "grievance_filed": {
        "en": "Your grievance {number} has been received. Track it with this number on the grievance portal.",
        "hi": "आपकी शिकायत {number} प्राप्त हो गई है। शिकायत पोर्टल पर इस संख्या से स्थिति देखें।",
    },
    "info_requested": {
        "en": "Grievance {number}: the office needs more information from you. Please reply on the portal.",
        "hi": "शिकायत {number}: कार्यालय को आपसे और जानकारी चाहिए। कृपया पोर्टल पर उत्तर दें।",
    },
    "grievance_closed": {
        "en": "Grievance {number} has been disposed of. Was it resolved? Tell us: {feedback_link}",
        "hi": "शिकायत {number} का निष्पादन कर दिया गया है। क्या समस्या का समाधान हुआ? बताएँ: {feedback_link}",
    },
    "grievance_rejected": {
        "en": "Grievance {number} could not be taken up: {reason}. You may appeal within {appeal_days} days on the "
              "portal. Your view: {feedback_link}",
        "hi": "शिकायत {number} पर कार्रवाई नहीं की जा सकी: {reason}। आप {appeal_days} दिनों में पोर्टल पर अपील कर सकते "
              "हैं। आपकी राय: {feedback_link}",
    },
    "grievance_linked": {
        "en": "Grievance {number} is being handled together with {master}; you will be told when it is resolved.",
        "hi": "शिकायत {number} पर {master} के साथ कार्रवाई हो रही है; निष्पादन होने पर आपको सूचित किया जाएगा।",
    },
    "escalated_to_you": {
        "en": "Grievance {number} has been escalated to you (level {level}): its deadline passed.",
        "hi": "शिकायत {number} समय-सीमा बीतने पर आपको अग्रसारित की गई है (स्तर {level})।",
    },
    "reminder_before": {
        "en": "Reminder: grievance {number} ({stage}) is due by {due_at}.",
        "hi": "स्मरण: शिकायत {number} ({stage}) की समय-सीमा {due_at} है।",
    },
    "reminder_due": {
        "en": "Grievance {number} ({stage}) has reached its deadline ({due_at}); act now to avoid escalation.",
        "hi": "शिकायत {number} ({stage}) की समय-सीमा ({due_at}) पूरी हो गई है; शीघ्र कार्रवाई करें।",
    },
    "master_closed": {
        "en": "Grievance {number} (handled with {master}) has been disposed of.",
        "hi": "शिकायत {number} ({master} के साथ) का निष्पादन कर दिया गया है।",
    },
    # The citizen, along the way (F9).
    "grievance_allotted": {
        "en": "Grievance {number} has been sent to {office} for action.",
        "hi": "शिकायत {number} कार्रवाई हेतु {office} को भेजी गई है।",
    },
    "grievance_taken_up": {
        "en": "Grievance {number}: {office} has taken up your grievance and sent its preliminary report.",
        "hi": "शिकायत {number}: {office} ने आपकी शिकायत पर कार्रवाई शुरू कर प्रारंभिक प्रतिवेदन भेज दिया है।",
    },
    "final_report_submitted": {
        "en": "Grievance {number}: {office} has reported the action taken; it is being reviewed before closure.",
        "hi": "शिकायत {number}: {office} ने की गई कार्रवाई का प्रतिवेदन भेजा है; निष्पादन से पहले इसकी समीक्षा हो रही है।",
    },
    "grievance_reopened": {
        "en": "Grievance {number} has been reopened and sent back to {office} for action.",
        "hi": "शिकायत {number} पुनः खोली गई है और कार्रवाई हेतु {office} को वापस भेजी गई है।",
    },
    "appeal_upheld": {
        "en": "Your appeal on grievance {number} was decided: the disposal stands. Reasons: {reasons}",
        "hi": "शिकायत {number} पर आपकी अपील का निर्णय: निष्पादन यथावत रहेगा। कारण: {reasons}",
    },
    "dispute_upheld": {
        "en": "Grievance {number}: the department's head reviewed your feedback and the disposal stands. Reasons: "
              "{reasons}. You may appeal within {appeal_days} days on the portal.",
        "hi": "शिकायत {number}: विभागाध्यक्ष ने आपकी राय की समीक्षा की; निष्पादन यथावत रहेगा। कारण: {reasons}। आप "
              "{appeal_days} दिनों में पोर्टल पर अपील कर सकते हैं।",
    },
    # Officials (F9).
    "assigned_to_you": {
        "en": "Grievance {number} has been assigned to you: the preliminary report is due by {due_at}.",
        "hi": "शिकायत {number} आपको सौंपी गई है: प्रारंभिक प्रतिवेदन {due_at} तक देना है।",
    },
    "report_sent_back": {
        "en": "The report on grievance {number} was sent back: {note}",
        "hi": "शिकायत {number} का प्रतिवेदन वापस भेजा गया है: {note}",
    },
    "remanded_to_you": {
        "en": "Grievance {number} has been remanded to your office with directions: {directions}",
        "hi": "शिकायत {number} निर्देशों के साथ आपके कार्यालय को वापस भेजी गई है: {directions}",
    },
    "dispute_to_decide": {
        "en": "Grievance {number} is disputed: the report says resolved, the citizen says not. Remand or uphold it.",
        "hi": "शिकायत {number} विवादित है: प्रतिवेदन में निराकरण बताया गया, पर नागरिक असंतुष्ट है। वापस भेजें या निष्पादन "
              "बनाए रखें।",
    },
    "spike_alert": {
        "en": "Unusual rise: {count} grievances about {category} in {district} in the week of {week}, against "
              "{mean} a week before. See the dashboard.",
        "hi": "असामान्य वृद्धि: {week} के सप्ताह में {district} में {category} की {count} शिकायतें, जबकि पहले औसत "
              "{mean} प्रति सप्ताह थीं। डैशबोर्ड देखें।",
    },
    # Right to Service (seed 002).
    "rts_received": {
        "en": "Right-to-Service grievance {number} has reached your office: forward it to the designated officer.",
        "hi": "सेवा का अधिकार शिकायत {number} आपके कार्यालय में प्राप्त हुई है: इसे पदनामित अधिकारी को भेजें।",
    },
    "rts_help_to_apply": {
        "en": "Grievance {number}: you have not yet applied for this service. The office will call you and help you "
              "apply within 30 days.",
        "hi": "शिकायत {number}: आपने अभी इस सेवा हेतु आवेदन नहीं किया है। कार्यालय 30 दिनों में आपको कॉल कर आवेदन करने "
              "में सहायता करेगा।",
    },
    "rts_appealed": {
        "en": "Grievance {number}: the Right-to-Service deadline passed, so it has been appealed to {authority} "
              "(appeal {level}).",
        "hi": "शिकायत {number}: सेवा का अधिकार की समय-सीमा बीत गई, इसलिए अपील {authority} को भेजी गई है (अपील {level})।",
    },
    "rts_appeal_to_you": {
        "en": "Grievance {number} has been appealed to you automatically under the Right to Service (appeal {level}).",
        "hi": "शिकायत {number} सेवा का अधिकार के अंतर्गत स्वतः आपको अपील में भेजी गई है (अपील {level})।",
    },
}


# The e-mail subject and push title of each template ("{number}" is filled in).
SUBJECTS: Mapping[str, Mapping[str, str]] = {
    "default": {"en": "Grievance {number}", "hi": "शिकायत {number}"},
    "escalated_to_you": {"en": "Escalated to you: grievance {number}", "hi": "आपको अग्रसारित: शिकायत {number}"},
    "assigned_to_you": {"en": "Assigned to you: grievance {number}", "hi": "आपको सौंपी गई: शिकायत {number}"},
    "dispute_to_decide": {"en": "Disputed: grievance {number}", "hi": "विवादित: शिकायत {number}"},
    "grievance_closed": {"en": "Grievance {number} disposed of", "hi": "शिकायत {number} का निष्पादन"},
    "spike_alert": {"en": "Unusual rise: {category} in {district}", "hi": "असामान्य वृद्धि: {district} में {category}"},
}


def subject(template: str, language: str, payload: Mapping[str, object]) -> str:
    texts = SUBJECTS.get(template) or SUBJECTS["default"]
    return (texts.get(language) or texts["en"]).format_map(_Blank(payload))


class _Blank(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return ""


def render(template: str, language: str, payload: Mapping[str, object]) -> str:
    texts = TEMPLATES[template]
    return (texts.get(language) or texts["en"]).format_map(_Blank(payload))
