"""Word lists for the generator: company names, countries with their legal forms and cities,
people's names in several languages, job titles by buying role, contact summaries.

Plain data, no logic: every list is read in order and drawn from with the run's seeded random
generator, so that one seed always gives the same names.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166 alpha-2
    local_name: str  # as it appears in a subsidiary's name ("Helvion Italia S.p.A.")
    legal_forms: tuple[str, ...]  # the first is the usual one for a headquarters
    cities: tuple[str, ...]
    language: str  # key of FIRST_NAMES / LAST_NAMES
    phone: str  # calling code
    site: str  # what a plant is called there ("Werk", "Usine", "Plant")


# fmt: off
COUNTRIES = {c.code: c for c in (
    Country("DE", "Deutschland", ("AG", "GmbH", "SE", "GmbH & Co. KG"),
            ("Stuttgart", "München", "Hamburg", "Köln", "Frankfurt am Main", "Düsseldorf", "Leipzig", "Hannover",
             "Nürnberg", "Bremen", "Dresden", "Wolfsburg", "Ingolstadt", "Mannheim", "Augsburg", "Regensburg"),
            "de", "+49", "Werk"),
    Country("AT", "Austria", ("AG", "GmbH"), ("Wien", "Graz", "Linz", "Salzburg", "Steyr"), "de", "+43", "Werk"),
    Country("CH", "Schweiz", ("AG", "SA"), ("Zürich", "Basel", "Genève", "Bern", "Winterthur", "Lausanne"),
            "de", "+41", "Werk"),
    Country("FR", "France", ("S.A.", "SAS"), ("Paris", "Lyon", "Toulouse", "Lille", "Nantes", "Strasbourg",
                                              "Grenoble", "Le Mans"), "fr", "+33", "Usine"),
    Country("BE", "Belgium", ("NV", "SA"), ("Bruxelles", "Antwerpen", "Gent", "Liège"), "fr", "+32", "Site"),
    Country("NL", "Nederland", ("N.V.", "B.V."), ("Amsterdam", "Rotterdam", "Eindhoven", "Utrecht", "Venlo"),
            "nl", "+31", "Fabriek"),
    Country("IT", "Italia", ("S.p.A.", "S.r.l."), ("Milano", "Torino", "Bologna", "Brescia", "Verona", "Modena",
                                                   "Bergamo"), "it", "+39", "Stabilimento"),
    Country("ES", "España", ("S.A.", "S.L."), ("Madrid", "Barcelona", "Valencia", "Bilbao", "Zaragoza", "Vigo"),
            "es", "+34", "Planta"),
    Country("PT", "Portugal", ("S.A.", "Lda."), ("Lisboa", "Porto", "Aveiro", "Braga"), "pt", "+351", "Fábrica"),
    Country("GB", "UK", ("plc", "Ltd"), ("London", "Birmingham", "Manchester", "Leeds", "Bristol", "Coventry",
                                         "Glasgow"), "en", "+44", "Plant"),
    Country("SE", "Sverige", ("AB",), ("Stockholm", "Göteborg", "Södertälje", "Malmö", "Västerås"), "sv", "+46",
            "Fabrik"),
    Country("PL", "Polska", ("S.A.", "Sp. z o.o."), ("Warszawa", "Poznań", "Wrocław", "Katowice", "Gliwice"),
            "pl", "+48", "Zakład"),
    Country("CZ", "Czech", ("a.s.", "s.r.o."), ("Praha", "Brno", "Mladá Boleslav", "Plzeň", "Ostrava"), "cs",
            "+420", "Závod"),
    Country("HU", "Hungary", ("Zrt.", "Kft."), ("Budapest", "Győr", "Kecskemét", "Debrecen"), "hu", "+36", "Gyár"),
    Country("TR", "Türkiye", ("A.Ş.",), ("İstanbul", "Bursa", "İzmir", "Kocaeli", "Ankara"), "tr", "+90", "Fabrika"),
    Country("US", "USA", ("Inc.", "LLC", "Corp."), ("Detroit", "Chicago", "Houston", "Atlanta", "Charlotte",
                                                   "Columbus", "Seattle", "Dallas", "Greenville", "Nashville"),
            "en", "+1", "Plant"),
    Country("CA", "Canada", ("Inc.", "Ltd."), ("Toronto", "Montréal", "Vancouver", "Windsor", "Calgary"), "en", "+1",
            "Plant"),
    Country("MX", "México", ("S.A. de C.V.",), ("Monterrey", "Puebla", "Querétaro", "Guadalajara", "Saltillo"),
            "es", "+52", "Planta"),
    Country("BR", "do Brasil", ("S.A.", "Ltda."), ("São Paulo", "Curitiba", "Campinas", "Belo Horizonte",
                                                  "Porto Alegre", "São Bernardo do Campo", "Joinville"),
            "pt", "+55", "Fábrica"),
    Country("JP", "Japan", ("K.K.", "Co., Ltd."), ("Tokyo", "Osaka", "Nagoya", "Yokohama", "Kawasaki", "Toyota",
                                                  "Hamamatsu"), "ja", "+81", "Plant"),
    Country("CN", "China", ("Co., Ltd.",), ("Shanghai", "Beijing", "Shenzhen", "Tianjin", "Changchun", "Suzhou",
                                            "Chongqing"), "zh", "+86", "Plant"),
    Country("KR", "Korea", ("Co., Ltd.",), ("Seoul", "Ulsan", "Busan", "Changwon"), "ko", "+82", "Plant"),
    Country("IN", "India", ("Ltd.", "Pvt. Ltd."), ("Pune", "Chennai", "Bengaluru", "Mumbai", "Gurugram"), "hi",
            "+91", "Plant"),
    Country("ZA", "South Africa", ("(Pty) Ltd",), ("Johannesburg", "Pretoria", "Durban", "Gqeberha"), "en", "+27",
            "Plant"),
)}

# Where groups have their headquarters, and where their subsidiaries sit (weights).
HOME_COUNTRIES = {"DE": 26, "US": 12, "FR": 8, "IT": 7, "GB": 6, "JP": 6, "CH": 4, "NL": 4, "SE": 4, "ES": 4,
                  "AT": 3, "KR": 3, "CN": 3, "BR": 2, "IN": 2, "PL": 1, "TR": 1, "BE": 2}
FOREIGN_COUNTRIES = {"US": 12, "CN": 10, "DE": 8, "FR": 6, "GB": 6, "IT": 5, "ES": 5, "PL": 5, "CZ": 5, "MX": 5,
                     "BR": 6, "IN": 5, "JP": 4, "HU": 3, "TR": 3, "KR": 3, "CA": 3, "SE": 3, "NL": 3, "AT": 3,
                     "BE": 2, "PT": 2, "ZA": 2, "CH": 2}

# Company names: a group's stem is a prefix and a suffix ("Nord" + "werk"), capitalised.
STEM_PREFIXES = ("Nord", "Hel", "Cast", "Vent", "Aur", "Lum", "Kron", "Sol", "Ter", "Mar", "Alp", "Vit", "Or",
                 "Strat", "Tek", "Ferr", "Arg", "Bel", "Cor", "Del", "Ost", "West", "Rhen", "Lys", "Quant", "Sever",
                 "Tor", "Brenn", "Gal", "Ald", "Ner", "Ard", "Vall", "Mont", "Pol", "Sil", "Zen", "Cal", "Hald",
                 "Indu")
STEM_SUFFIXES = ("werk", "vion", "ellan", "ora", "ix", "ara", "on", "ia", "tec", "gard", "holm", "berg", "ex",
                 "ium", "ica", "ano", "is", "ant", "ova", "ence", "ar", "etta", "ion", "mark", "stahl", "ton",
                 "ware", "ello")
GROUP_FORMS = ("{stem}", "{stem} Group", "{stem} Holding", "{stem} Industries")
SECTORS = ("Automotive", "Aerospace", "Powertrain", "Components", "Electronics", "Chemicals", "Packaging",
           "Logistics", "Foods", "Pharma", "Energy", "Mobility", "Steel", "Plastics", "Medical", "Systems",
           "Rail", "Agritech", "Battery Systems", "Textiles", "Glass", "Paper", "Beverages", "Machinery",
           "Precision Parts", "Hydraulics", "Digital", "Services", "Finance", "Trading", "Retail", "Construction")
BRAND_WORDS = ("Aero", "Vento", "Pura", "Nova", "Terra", "Axion", "Fluxa", "Corvo", "Lince", "Brisa", "Onda",
               "Kairo", "Stella", "Vela", "Orca", "Titan", "Zefiro", "Ambra", "Polar", "Sirio", "Forma", "Linea",
               "Prima", "Volta", "Arco", "Delta", "Lumen", "Mistral", "Sabre", "Kobalt")
UNIT_WORDS = ("Service Center", "Logistics Hub", "R&D Center", "Sales Office", "Distribution Center",
              "Engineering Center", "Parts Warehouse", "Training Center")

FIRST_NAMES = {
    "de": ("Anna", "Markus", "Katrin", "Tobias", "Julia", "Stefan", "Sabine", "Jörg", "Lena", "Michael", "Petra",
           "Florian", "Claudia", "Andreas", "Miriam", "Uwe", "Heike", "Jan", "Birgit", "Sebastian"),
    "fr": ("Camille", "Julien", "Claire", "Nicolas", "Sophie", "Thomas", "Élodie", "Antoine", "Isabelle", "Mathieu",
           "Aurélie", "Olivier", "Céline", "François"),
    "it": ("Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Valentina", "Matteo", "Elena",
           "Davide", "Sara", "Stefano", "Paola", "Andrea"),
    "es": ("Lucía", "Javier", "Carmen", "Alejandro", "Marta", "Pablo", "Elena", "Sergio", "Laura", "Diego",
           "Ana", "Raúl", "Isabel", "Fernando"),
    "pt": ("Ana", "Rafael", "Beatriz", "João", "Mariana", "Pedro", "Fernanda", "Lucas", "Camila", "Tiago",
           "Juliana", "Bruno", "Patrícia", "Carlos"),
    "en": ("Emma", "James", "Olivia", "Michael", "Sarah", "David", "Emily", "Robert", "Jessica", "Daniel",
           "Rachel", "Christopher", "Laura", "Matthew", "Hannah", "Andrew"),
    "nl": ("Sanne", "Daan", "Lotte", "Bram", "Eva", "Joris", "Femke", "Thijs", "Anouk", "Ruben"),
    "sv": ("Elin", "Erik", "Maja", "Lars", "Sofia", "Johan", "Karin", "Anders", "Linnea", "Henrik"),
    "pl": ("Agnieszka", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Krzysztof", "Joanna", "Marcin", "Ewa",
           "Paweł"),
    "cs": ("Tereza", "Jan", "Lucie", "Petr", "Kateřina", "Martin", "Veronika", "Tomáš", "Jana", "Jakub"),
    "hu": ("Eszter", "Gábor", "Katalin", "László", "Zsófia", "Péter", "Anna", "Balázs", "Réka", "Attila"),
    "tr": ("Elif", "Mehmet", "Zeynep", "Emre", "Ayşe", "Burak", "Selin", "Murat", "Deniz", "Can"),
    "ja": ("Yuki", "Kenji", "Haruka", "Takashi", "Aiko", "Hiroshi", "Naoko", "Daisuke", "Emi", "Satoshi",
           "Megumi", "Kazuo"),
    "zh": ("Wei", "Li Na", "Jun", "Xiaoling", "Hao", "Mei", "Chen", "Yan", "Jian", "Lan", "Tao", "Ying"),
    "ko": ("Ji-woo", "Min-jun", "Seo-yeon", "Hyun-woo", "Ji-eun", "Sung-min", "Yuna", "Dong-hyun"),
    "hi": ("Priya", "Rahul", "Ananya", "Arjun", "Kavita", "Vikram", "Neha", "Sanjay", "Deepa", "Amit", "Pooja",
           "Rohan"),
}
LAST_NAMES = {
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Schäfer", "Koch",
           "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Braun", "Zimmermann", "Krüger", "Hartmann", "Lange",
           "Vogel", "Reuter", "Brandt", "Albers"),
    "fr": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
           "Lefèvre", "Girard", "Fontaine", "Rousseau"),
    "it": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
           "Bruno", "Gallo", "Conti", "Costa"),
    "es": ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
           "Ruiz", "Navarro", "Torres", "Ramírez", "Castillo"),
    "pt": ("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Ribeiro", "Almeida", "Carvalho", "Mendes",
           "Rocha", "Barbosa", "Ferreira", "Gomes"),
    "en": ("Smith", "Johnson", "Williams", "Brown", "Taylor", "Davies", "Miller", "Wilson", "Anderson", "Clarke",
           "Walker", "Wright", "Thompson", "Harris", "Hughes", "Turner"),
    "nl": ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "Mulder",
           "de Boer"),
    "sv": ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
           "Lindqvist", "Berg"),
    "pl": ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
           "Woźniak", "Dąbrowski"),
    "cs": ("Novák", "Svoboda", "Novotný", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý", "Horák", "Marek"),
    "hu": ("Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Molnár", "Németh", "Farkas"),
    "tr": ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan", "Doğan"),
    "ja": ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi",
           "Kato", "Yoshida", "Yamada"),
    "zh": ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun"),
    "ko": ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon"),
    "hi": ("Sharma", "Patel", "Singh", "Kumar", "Gupta", "Iyer", "Reddy", "Nair", "Mehta", "Joshi", "Rao",
           "Desai"),
}

# Job titles by buying role: (senior titles for the head of a node, everyone else's).
JOB_TITLES = {
    "decision_maker": (("Chief Operating Officer", "Managing Director", "VP Manufacturing", "Head of Production"),
                       ("Plant Manager", "Head of Production Planning", "Director Operations", "Head of Assembly",
                        "Head of Body Shop")),
    "economic_buyer": (("Chief Procurement Officer", "Chief Financial Officer", "VP Purchasing"),
                       ("Head of Purchasing", "Lead Buyer Automation", "Category Manager Capital Goods",
                        "Strategic Buyer", "Commodity Manager Electronics")),
    "technical_buyer": (("Chief Technology Officer", "VP Engineering"),
                        ("Head of Manufacturing IT", "Lead Automation Engineer", "Head of Engineering",
                         "Maintenance Manager", "Head of Industrial Engineering")),
    "user": (("Head of Maintenance",),
             ("Production Supervisor", "Shift Lead Assembly", "Line Engineer", "Logistics Coordinator",
              "Maintenance Technician", "Process Engineer", "Quality Inspector")),
    "influencer": (("Chief Executive Officer", "Head of Strategy", "Chief Digital Officer"),
                   ("Head of Quality", "Innovation Manager", "Sustainability Officer", "Works Council Member",
                    "Head of Controlling")),
    "gatekeeper": (("Chief of Staff",),
                   ("Executive Assistant", "Office Manager", "Procurement Assistant", "Legal Counsel",
                    "Team Assistant Operations")),
    "champion": (("Head of Digital Factory",),
                 ("Project Manager Digital Factory", "Operations Excellence Lead", "Industrial Engineer",
                  "Automation Project Lead", "Lean Manager")),
}

# Contact summaries: "<opening> <topic>; <outcome>".
OPENINGS = {
    "meeting": "Meeting with {person} on {topic}",
    "call": "Call with {person} about {topic}",
    "visit": "Visit at {account}, walked the line with {person}: {topic}",
    "email": "Email exchange with {person} on {topic}",
    "event": "Met {person} at {event}, talked about {topic}",
    "note": "Heard via colleagues that {person} is looking into {topic}",
}
TOPICS = ("the automation roadmap", "the service contract renewal", "MES integration", "the retrofit of line {n}",
          "spare parts availability", "the training plan for new hires", "the intralogistics pilot",
          "the frame agreement", "the price review", "energy efficiency in the paint shop", "remote maintenance",
          "the predictive maintenance pilot", "next year's capex plan", "the new plant project",
          "safety certification of the cells", "changeover times on line {n}", "the software licence model",
          "data security requirements", "a reference visit for their board", "the open service tickets")
EVENTS = ("the Hannover Messe", "our customer day", "the automatica fair", "a supplier summit", "the plant's open day",
          "the industry association dinner", "our innovation workshop")
OUTCOMES = {
    "positive": ("asks for an offer by the end of the month.", "agreed on a pilot on one line.",
                 "will introduce us to the plant managers.", "very happy with the last service visit.",
                 "wants our expert at their next steering meeting.", "budget is approved."),
    "neutral": ("follow-up call in two weeks.", "sent the documentation as promised.",
                "decision expected next quarter.", "no budget decision yet.", "needs to align with purchasing first.",
                "asked for references in their industry."),
    "negative": ("budget frozen until next year.", "complained about delivery times.",
                 "prefers the competitor's offer for now.", "escalation about an open service ticket.",
                 "project postponed indefinitely.", "unhappy with our response times."),
}
GIVES = {
    "introduction": ("Introduced them to a peer at another customer who solved the same problem.",
                     "Put them in touch with a university lab for their thesis students."),
    "information": ("Shared our benchmark of changeover times in the industry.",
                    "Sent a summary of the new machinery directive."),
    "expert_access": ("Arranged a call with our head of robotics.", "Our safety expert reviewed their cell layout."),
    "recommendation": ("Recommended a systems integrator for their Mexican plant.",
                       "Recommended them as a speaker for the industry conference."),
    "news_pointer": ("Pointed them to a funding programme for energy efficiency.",
                     "Sent an article on their competitor's new plant."),
    "other": ("Helped with a visitor programme for their trainees.", "Lent demo hardware for their open day."),
}
RECEIVED = ("Tipped us off about the upcoming tender.", "Shared the capex plan for next year early.",
            "Introduced us to the new head of purchasing.", "Gave us feedback on our offer before the deadline.")
# fmt: on
