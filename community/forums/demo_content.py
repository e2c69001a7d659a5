# ruff: noqa: E501  (prose: lines break where the sentences do)
"""The demo forums' text: forums, then threads (forum, language, author, title, opening post,
replies as (author, text)). Written for the demo, in the four interface languages."""

# slug, name, description, order, topic slug, country, organisation slug (members-only forum)
FORUMS = [
    ("citizenship-and-consular", "Citizenship, passports and consulates",
     "Dual nationality, passports, civil records and what consulates can do for you.", 10,
     "consular-services", "", ""),
    ("remittances-and-finance", "Remittances and financial inclusion",
     "Sending money home for less, savings, diaspora accounts and financial literacy.", 20,
     "remittances", "", ""),
    ("investment-and-co-investors", "Diaspora investment and co-investors",
     "Find partners, compare diaspora bonds, check a project before you put money in.", 30,
     "diaspora-investment", "", ""),
    ("skills-and-mentoring", "Skills transfer and mentoring",
     "Short missions, mentoring, recognition of qualifications, teaching back home.", 40,
     "skills-transfer", "", ""),
    ("return-and-reintegration", "Return and reintegration",
     "Planning a return: housing, schools, jobs, paperwork, and the first year back.", 50,
     "return-and-reintegration", "", ""),
    ("policy-and-institutions", "Diaspora policy and institutions",
     "Ask diaspora offices and ministries, discuss consultations, voting from abroad.", 60,
     "diaspora-institutions", "", ""),
    ("toolkits-and-resources", "Toolkits and resources",
     "Share guides, templates and studies that helped your association.", 70,
     "knowledge-networks", "", ""),
    ("senegal-diaspora", "Sénégal : diaspora et développement",
     "Échanges entre Sénégalais de l'extérieur et acteurs locaux.", 80, "", "SN", ""),
    ("ghana-homecoming", "Ghana: homecoming and heritage",
     "Right of abode, land, heritage tourism and business in Ghana.", 90, "", "GH", ""),
    ("health-network-members", "Senegalese Diaspora Health Network — members' room",
     "For the network's members only: mission planning, rosters, partner hospitals.", 100,
     "health", "SN", "senegalese-health-network"),
]  # fmt: skip

_EN = [
    ("citizenship-and-consular", "kwame", "Does taking a second nationality cost me my first one?",
     "I have lived in Germany for twelve years and can now naturalise. Germany allows dual "
     "nationality since 2024, but I am not sure my country of origin does. Has anyone checked "
     "this with their embassy, and did you need a written confirmation?",
     [("lucia", "Check the nationality law itself, not only the embassy website: the websites "
       "are often years behind. Ask for the answer in writing."),
      ("ravi", "In my case the consulate asked for a declaration form within six months of the "
       "new passport. Missing the deadline is what causes trouble, not the second passport.")]),
    ("citizenship-and-consular", "amara", "Renewing a passport by post: which consulates accept it?",
     "Travelling to the consulate is a full day and a train ticket for many of us. Which "
     "consulates let you renew by post or with a mobile team visiting your city?",
     [("tesfaye", "Ours sends a mobile team twice a year to three cities. The dates are only "
       "announced on Facebook, which is a problem in itself."),
      ("hodan", "Biometrics make postal renewal rare now. Ask whether fingerprints from the "
       "last passport can be reused: some consulates allow it within ten years.")]),
    ("citizenship-and-consular", "zainab", "Registering a child born abroad: what documents?",
     "Our daughter was born in Manchester. We want her registered so she can have both "
     "nationalities. What did your consulate ask for?",
     [("youssef", "Full birth certificate (not the short one), both parents' passports, and "
       "our marriage certificate translated. It took three months."),
      ("ngozi", "Bring copies of everything twice. They kept one set and lost the other.")]),
    ("remittances-and-finance", "oluwaseun", "Cheapest way to send £200 a month home?",
     "Bank transfers take 4% plus a bad rate. Mobile money apps look cheaper but I do not "
     "know which ones are regulated. What do you use, and what does it really cost?",
     [("emmanuel", "Compare the total: fee plus the gap between their rate and the mid-market "
       "rate. The 'zero fee' apps hide it all in the rate."),
      ("wanjiru", "Sending straight to a mobile wallet was the cheapest for my family, about "
       "1.8% all in. Check that the provider is licensed by the central bank at home.")]),
    ("remittances-and-finance", "farhana", "Group savings circles abroad: any written rules?",
     "Our women's group runs a savings circle of twelve members. We want simple written rules "
     "in case someone leaves early. Does anyone have a template?",
     [("salma", "We wrote ours on one page: order of payout, what happens on a missed month, "
       "and who keeps the record. Happy to share it in the toolkits forum.")]),
    ("investment-and-co-investors", "camila", "Looking for two co-investors: cold storage in Ghana",
     "We are three diaspora engineers planning a solar cold store for tomato farmers near "
     "Techiman. We have a site and a farmers' cooperative. We need two more partners for the "
     "equipment. Happy to share the business plan privately.",
     [("kwame", "Have you spoken to the district assembly? They sometimes provide the land "
       "lease on good terms for agro-processing."),
      ("diego", "Interested. What is the expected payback period and who runs it day to day?"),
      ("camila", "Payback is about four years on our numbers. A cooperative member will manage "
       "it with a salaried technician; we have budgeted the first two years of wages.")]),
    ("investment-and-co-investors", "thiago", "Diaspora bonds: has anyone actually bought one?",
     "I read a lot about diaspora bonds as an idea, but little from people who bought them. "
     "How did you buy, what was the minimum, and did you get paid on time?",
     [("valentina", "I bought one through a bank in Madrid. Minimum was 1,000 dollars, coupons "
       "paid twice a year, always on time so far."),
      ("andres", "Watch the currency: mine was in local currency and lost a fifth against the "
       "euro. The coupon did not make up for it.")]),
    ("investment-and-co-investors", "tendai", "How do you check a project before investing back home?",
     "A cousin wants me to invest in a guest house. I trust him, but I want a simple checklist "
     "before sending savings. What do you check?",
     [("arben", "Land title at the registry yourself, not a copy. Then the permits, then a "
       "budget with three quotes for the main works."),
      ("ion", "Agree in writing how profits are shared and what happens if one of you wants "
       "out. Family is exactly when this matters most.")]),
    ("skills-and-mentoring", "aissatou", "Two-week teaching missions: what works?",
     "Our network sends doctors to teach for two weeks at a time. Some missions leave "
     "something behind, some do not. What made the difference in your experience?",
     [("amara", "Working with the same department every time. A series of missions with one "
       "team beats many one-off visits."),
      ("farah", "Ask the local team what they want to learn before you plan anything.")]),
    ("skills-and-mentoring", "imran", "Getting an engineering degree recognised: how long did it take?",
     "My degree is from Lahore. I am applying for recognition in Canada. How long did it take "
     "you, and did you need extra exams?",
     [("tharushi", "Eleven months for me, with one exam in ethics and law. Start the document "
       "requests early: universities take weeks to answer.")]),
    ("skills-and-mentoring", "olena", "Mentoring students remotely: how many hours a month?",
     "I would like to mentor two students at my old university. How much time does it take in "
     "practice, and which format worked for you?",
     [("bishnu", "One call a month with each, plus answering messages. About four hours a "
       "month. Agree on a goal for the term."),
      ("parisa", "Group calls with three or four students worked better for me than one to "
       "one: they learn from each other's questions.")]),
    ("return-and-reintegration", "nguyen", "First year back: what surprised you?",
     "I returned to Ho Chi Minh City after eight years in Germany. I would love to hear what "
     "surprised others in their first year back, good and bad.",
     [("sofia", "How much my own expectations had changed. Being patient with slower "
       "administration took me months."),
      ("hamid", "The support from other returnees. Find them early.")]),
    ("return-and-reintegration", "mustafa", "Transferring a pension when returning home",
     "I worked 15 years in the Netherlands. Can I take my pension rights with me, or receive "
     "them abroad? Is there a social security agreement I should look for?",
     [("lucas", "Look for a bilateral social security agreement between the two countries. "
       "Without one you usually receive the pension abroad, but cannot transfer the rights.")]),
    ("policy-and-institutions", "lucia", "Consultation: new national diaspora strategy",
     "The diaspora office is consulting on its new strategy until the end of the month. What "
     "would you ask them to change first?",
     [("ravi", "A single contact point. Today we are sent between four ministries."),
      ("shanice", "Publish what happened to the last consultation's answers. People stop "
       "answering when they never hear back.")]),
    ("policy-and-institutions", "emmanuel", "Voting from abroad: postal vote or embassy?",
     "Our country is introducing voting from abroad. Which works better in your experience: "
     "postal votes or polling stations at embassies?",
     [("ani", "Embassy stations only reach people in capital cities. Postal plus online "
       "registration reached far more of us.")]),
    ("toolkits-and-resources", "salma", "Template: one-page savings circle rules",
     "As promised, here is the outline of the rules our circle uses: 1. order of payout drawn "
     "at the start; 2. a missed month is paid within 14 days; 3. two members keep the record. "
     "Adapt freely.",
     [("farhana", "Thank you, this is exactly what we needed."),
      ("zainab", "We added a rule on what happens when someone moves country.")]),
    ("toolkits-and-resources", "wanjiru", "Mapping your diaspora: a short survey template",
     "We ran a survey to map skills in our community: 12 questions, 10 minutes. The hardest "
     "part was trust: people worried about where the data goes. We wrote that on the first "
     "page. Questions below, comments welcome.",
     [("ravi", "Good that you explain data use first. Ask for the country of residence, not "
       "the city: fewer people drop out.")]),
    ("ghana-homecoming", "kwame", "Right of abode: how long did your application take?",
     "I am applying for right of abode in Ghana. Those who did it recently: how long did it "
     "take, and what did you wish you knew?",
     [("shanice", "Seven months. Keep a copy of every receipt and note the name of each "
       "person you speak to."),
      ("ngozi", "Ask about the ceremony dates early: they batch approvals.")]),
]  # fmt: skip

_FR = [
    ("citizenship-and-consular", "youssef", "Acte de naissance : transcription au consulat",
     "Mon fils est né à Lyon. Combien de temps a pris la transcription de l'acte de naissance "
     "au consulat pour vous ? On nous parle de six mois.",
     [("farah", "Quatre mois pour nous, en envoyant le dossier complet par courrier suivi."),
      ("aissatou", "Demandez un récépissé : il suffit pour beaucoup de démarches en attendant.")]),
    ("citizenship-and-consular", "farah", "Carte consulaire : à quoi sert-elle vraiment ?",
     "Le consulat nous encourage à nous immatriculer. Au-delà du recensement, quels sont les "
     "avantages concrets ? Est-ce utile pour voter ?",
     [("youssef", "Pour nous, elle était exigée pour l'inscription sur la liste électorale à "
       "l'étranger et elle accélère le renouvellement du passeport.")]),
    ("remittances-and-finance", "aissatou", "Envoyer de l'argent au Sénégal : vos frais réels",
     "Je compare les services de transfert pour envoyer 150 euros par mois à ma mère à "
     "Kaolack. Quels frais réels payez-vous, taux de change compris ?",
     [("amara", "Avec le transfert vers un portefeuille mobile, environ 2 % au total chez moi."),
      ("youssef", "Méfiez-vous des offres « sans frais » : la marge est dans le taux.")]),
    ("remittances-and-finance", "amara", "Compte en devises pour la diaspora : votre avis ?",
     "Certaines banques proposent des comptes en euros ouverts à distance pour la diaspora. "
     "Quelqu'un en a-t-il ouvert un ? Les frais sont-ils raisonnables ?",
     [("aissatou", "J'en ai un depuis deux ans. Ouverture en ligne, mais il a fallu passer à "
       "l'agence pour activer la carte.")]),
    ("investment-and-co-investors", "youssef", "Investir dans l'agriculture au Maroc : retours d'expérience",
     "Nous sommes trois associés installés en France et nous étudions un projet d'irrigation "
     "goutte-à-goutte près de Meknès. Quels pièges éviter ?",
     [("farah", "Vérifiez les droits d'eau avant tout. Le foncier seul ne suffit pas."),
      ("rania", "Passez par le centre régional d'investissement : il a simplifié nos démarches.")]),
    ("investment-and-co-investors", "amara", "Cherche co-investisseurs : atelier de couture à Abidjan",
     "Je lance un atelier de couture qui formera douze jeunes femmes à Abidjan. Je cherche deux "
     "partenaires de la diaspora pour les machines. Plan d'affaires disponible sur demande.",
     [("aissatou", "Beau projet. Avez-vous déjà des clients pour les premières commandes ?"),
      ("amara", "Oui, deux boutiques et une école pour les uniformes.")]),
    ("skills-and-mentoring", "aissatou", "Missions courtes à l'hôpital de Thiès : calendrier 2027",
     "Nous préparons le calendrier des missions d'enseignement à Thiès. Les spécialités les "
     "plus demandées sont la pédiatrie et l'anesthésie. Qui serait disponible ?",
     [("farah", "Je peux faire deux semaines en mars, en pédiatrie."),
      ("amara", "Disponible en octobre. Je peux aussi préparer les supports en amont.")]),
    ("skills-and-mentoring", "farah", "Reconnaissance des diplômes d'infirmière en France",
     "Une collègue diplômée à Dakar veut exercer en France. Par où commencer ? Quelles "
     "épreuves faut-il passer ?",
     [("aissatou", "Commencez par la demande d'autorisation d'exercice auprès de la DREETS. "
       "Un stage d'adaptation est souvent demandé.")]),
    ("return-and-reintegration", "aissatou", "Retour au Sénégal après vingt ans : scolarité des enfants",
     "Nous rentrons l'été prochain avec deux enfants de 9 et 13 ans. Comment s'est passée "
     "l'intégration scolaire pour vos enfants ?",
     [("amara", "L'aîné a eu du mal la première année avec le wolof à l'école. Prévoyez du "
       "soutien.")]),
    ("return-and-reintegration", "youssef", "Rapatrier ses économies : fiscalité",
     "En rentrant au Maroc, je veux rapatrier mon épargne. Y a-t-il des avantages fiscaux pour "
     "les résidents de retour ?",
     [("farah", "Oui, sous conditions de durée de résidence à l'étranger. Gardez les preuves de "
       "vos transferts.")]),
    ("policy-and-institutions", "farah", "Conseil consultatif de la diaspora : qui nous représente ?",
     "Le ministère annonce un conseil consultatif de la diaspora. Comment les membres seront-"
     "ils choisis ? Élection, nomination ?",
     [("youssef", "Le projet de décret parle de nomination sur proposition des associations. "
       "Il faut que nos associations se fassent connaître maintenant.")]),
    ("toolkits-and-resources", "aissatou", "Guide : monter une association de la diaspora en France",
     "Nous avons rédigé un guide de 20 pages : statuts, déclaration en préfecture, compte "
     "bancaire, assurance. Vos retours sont bienvenus avant publication.",
     [("amara", "Ajoutez une partie sur la comptabilité de base, c'est là que beaucoup "
       "d'associations bloquent.")]),
    ("senegal-diaspora", "aissatou", "Fonds d'appui à l'investissement des Sénégalais de l'extérieur",
     "Quelqu'un a-t-il obtenu un financement du fonds d'appui ? Quels délais et quelles "
     "garanties ont été demandés ?",
     [("amara", "Huit mois d'instruction, et une caution personnelle. Mais le taux était bon."),
      ("farah", "Faites relire votre plan d'affaires par le bureau d'accueil avant le dépôt.")]),
    ("senegal-diaspora", "amara", "Vote des Sénégalais de l'extérieur : inscriptions",
     "Les inscriptions sur les listes électorales à l'étranger ouvrent bientôt. Où "
     "s'inscrire à Paris et à Lyon ?",
     [("aissatou", "Au consulat général, et des commissions mobiles passent dans plusieurs "
       "villes. Surveillez le site du consulat.")]),
    ("senegal-diaspora", "farah", "Transfert de compétences : la santé en Casamance",
     "Des médecins de la diaspora organisent une caravane de santé à Ziguinchor. Qui veut "
     "se joindre à l'équipe logistique ?",
     [("aissatou", "Notre réseau peut prêter du matériel. Écrivez-moi.")]),
    ("health-network-members", "aissatou", "Planning des missions : premier semestre",
     "Voici le planning provisoire des missions du premier semestre. Merci d'indiquer vos "
     "disponibilités avant le 15.",
     [("amara", "Je confirme la mission de février à Thiès."),
      ("farah", "Disponible en avril seulement cette année.")]),
    ("health-network-members", "farah", "Convention avec l'hôpital régional de Kaolack",
     "Le projet de convention est prêt. Points ouverts : assurance des volontaires et prise "
     "en charge du logement.",
     [("aissatou", "L'assurance doit être à notre charge, c'est plus simple. Je propose une "
       "réunion jeudi.")]),
]  # fmt: skip

_ES = [
    ("citizenship-and-consular", "marisol", "¿Cuánto tarda la doble nacionalidad en España?",
     "Soy peruana y llevo dos años de residencia legal en Madrid. Tengo entendido que por "
     "convenio puedo pedir la nacionalidad. ¿Cuánto os tardó la resolución?",
     [("camila", "A mí, colombiana, casi dos años desde la solicitud. Hay que aprobar el "
       "examen CCSE antes."),
      ("valentina", "Presenta la solicitud en línea: es más rápido que por registro.")]),
    ("citizenship-and-consular", "diego", "Consulado móvil en Barcelona: ¿fechas?",
     "¿Alguien sabe cuándo vuelve el consulado móvil a Barcelona? Necesito renovar el "
     "pasaporte y no puedo viajar a Madrid.",
     [("mariela", "Suelen anunciarlo con tres semanas de antelación en la web del consulado. "
       "Pide cita en cuanto salga, vuela.")]),
    ("remittances-and-finance", "yesenia", "¿Cómo enviáis dinero a México con menos comisiones?",
     "Envío 300 dólares al mes a mis padres en Oaxaca. ¿Qué servicio usáis y cuánto pagáis "
     "realmente, contando el tipo de cambio?",
     [("thiago", "Compara el tipo de cambio con el del mercado: ahí está la comisión oculta."),
      ("andres", "El depósito directo a una cuenta bancaria me sale más barato que recoger en "
       "efectivo.")]),
    ("remittances-and-finance", "mariela", "Educación financiera para familias que reciben remesas",
     "Estamos preparando talleres en Santo Domingo para familias que reciben remesas: ahorro, "
     "presupuesto y cómo evitar estafas. ¿Qué temas añadiríais?",
     [("yesenia", "Cómo abrir una cuenta sin comisiones y usar la banca móvil."),
      ("valentina", "Seguros básicos. Una enfermedad se come los ahorros de un año.")]),
    ("investment-and-co-investors", "andres", "Busco socios: café de especialidad en Huila",
     "Con dos amigos de la diáspora queremos comprar una secadora solar para una cooperativa "
     "de café en Huila. Buscamos dos socios más. ¿Alguien con experiencia en agro?",
     [("camila", "Me interesa. ¿La cooperativa ya exporta o vende en el mercado local?"),
      ("andres", "Vende localmente; la secadora es para llegar a la calidad de exportación.")]),
    ("investment-and-co-investors", "valentina", "Bonos de la diáspora: ¿riesgo cambiario?",
     "Estoy pensando en comprar bonos de la diáspora en moneda local. ¿Cómo os protegéis del "
     "riesgo de tipo de cambio?",
     [("thiago", "Yo solo invierto la parte que pienso gastar allí. Así el tipo de cambio "
       "importa menos.")]),
    ("skills-and-mentoring", "camila", "Mentorías para estudiantes de ingeniería en Colombia",
     "Nuestra red organiza mentorías virtuales para estudiantes de ingeniería de universidades "
     "públicas. Buscamos mentores: una hora al mes.",
     [("diego", "Me apunto. Trabajo en energía renovable en Valencia."),
      ("marisol", "¿Hay una guía para la primera reunión? Me ayudaría.")]),
    ("skills-and-mentoring", "thiago", "Homologación de títulos de medicina en España",
     "Soy médico brasileño en Sevilla. ¿Cuánto tardó vuestra homologación? ¿Pedían examen?",
     [("mariela", "Tres años en mi caso, con prueba teórico-práctica. Empieza cuanto antes.")]),
    ("return-and-reintegration", "diego", "Volver a Argentina con hijos: escuela y papeles",
     "Después de diez años en España pensamos volver a Córdoba. ¿Qué trámites hicisteis para "
     "la escuela de los niños?",
     [("valentina", "Convalidar los estudios en el ministerio de educación. Lleva los "
       "certificados apostillados.")]),
    ("return-and-reintegration", "yesenia", "Programas de retorno: ¿alguien los usó?",
     "México tiene programas de apoyo al retorno. ¿Alguien recibió apoyo real para emprender "
     "al volver?",
     [("andres", "Recibí capacitación y un pequeño capital semilla. Trámite largo, pero "
       "valió la pena.")]),
    ("policy-and-institutions", "marisol", "Voto en el exterior: ¿cómo mejorar la participación?",
     "En las últimas elecciones votó muy poca gente de la diáspora. ¿Qué cambiaríais para que "
     "participemos más?",
     [("diego", "Voto por correo sin tener que pedirlo cada vez."),
      ("camila", "Más mesas fuera de las capitales.")]),
    ("policy-and-institutions", "andres", "Consejo consultivo de la diáspora: propuestas",
     "El gobierno crea un consejo consultivo. Propongo que publique actas y que haya cuotas "
     "para jóvenes. ¿Qué añadiríais?",
     [("mariela", "Que rote entre países de residencia, no solo Estados Unidos y España.")]),
    ("toolkits-and-resources", "mariela", "Guía: registrar una asociación de migrantes en España",
     "Comparto nuestra guía paso a paso: estatutos, registro, NIF y cuenta bancaria. Se "
     "aceptan comentarios.",
     [("marisol", "Muy útil. Añadiría un modelo de acta de la asamblea fundacional.")]),
    ("toolkits-and-resources", "valentina", "Plantilla de presupuesto para proyectos comunitarios",
     "Usamos esta plantilla para presentar proyectos a los ayuntamientos: partidas, "
     "cofinanciación y calendario. ¿Os sirve?",
     [("yesenia", "Sí, la adapto para nuestro proyecto de remesas productivas.")]),
    ("senegal-diaspora", "diego", "Cooperación Senegal–España: proyectos de formación",
     "¿Hay proyectos de formación profesional entre Senegal y España donde la diáspora pueda "
     "colaborar?",
     [("aissatou", "Oui, il y en a à Saint-Louis. Je peux vous mettre en contact (desolée, "
       "je réponds en français).")]),
]  # fmt: skip

_AR = [
    ("citizenship-and-consular", "rania", "تجديد جواز السفر من الخارج: كم يستغرق؟",
     "أعيش في لندن وجوازي ينتهي بعد ثلاثة أشهر. كم استغرق تجديد جوازكم عن طريق القنصلية؟ "
     "وهل يمكن إرسال الطلب بالبريد؟",
     [("youssef", "استغرق الأمر عندي ستة أسابيع. يجب الحضور شخصياً لأخذ البصمات."),
      ("salma", "احجز الموعد مبكراً، فالمواعيد تمتلئ قبل الصيف.")]),
    ("citizenship-and-consular", "salma", "تسجيل المواليد في الخارج",
     "وُلد ابني في برلين. ما الوثائق التي طلبتها منكم السفارة لتسجيله؟",
     [("rania", "شهادة الميلاد مترجمة ومصدقة، وجوازا الوالدين، وعقد الزواج."),
      ("mustafa", "تأكد من التصديق (الأبوستيل) قبل الترجمة.")]),
    ("remittances-and-finance", "mustafa", "أرخص طريقة لتحويل الأموال إلى الأهل",
     "أرسل مبلغاً شهرياً إلى عائلتي. ما الخدمة التي تستخدمونها؟ وما التكلفة الحقيقية مع "
     "سعر الصرف؟",
     [("salma", "قارن سعر الصرف بالسعر الرسمي، فهناك تختبئ العمولة."),
      ("karim", "التحويل إلى المحفظة الإلكترونية كان الأرخص بالنسبة لي.")]),
    ("remittances-and-finance", "karim", "التحويلات والادخار: كيف نساعد الأسر على الادخار؟",
     "نفكر في برنامج يشجع الأسر التي تتلقى التحويلات على الادخار. هل لديكم تجارب ناجحة؟",
     [("rania", "حسابات ادخار مرتبطة بالتحويلات مع حافز صغير من البنك نجحت في الأردن.")]),
    ("investment-and-co-investors", "rania", "نبحث عن شركاء: مشروع طاقة شمسية في الأردن",
     "نحن مجموعة من رائدات الأعمال في المهجر نخطط لمشروع ألواح شمسية للمدارس في إربد. "
     "نبحث عن شريكين للاستثمار. الخطة متاحة عند الطلب.",
     [("karim", "مشروع رائع. هل حصلتم على موافقة وزارة التربية؟"),
      ("rania", "نعم، لدينا موافقة مبدئية لثلاث مدارس.")]),
    ("investment-and-co-investors", "karim", "كيف أتحقق من مشروع قبل الاستثمار فيه؟",
     "عرض عليّ قريب الاستثمار في مصنع صغير. ما الخطوات التي تتبعونها قبل إرسال المدخرات؟",
     [("mustafa", "تحقق من سند الملكية بنفسك في السجل العقاري، واطلب ثلاثة عروض أسعار."),
      ("salma", "اكتبوا اتفاقاً واضحاً لتقسيم الأرباح والخروج من الشراكة.")]),
    ("skills-and-mentoring", "salma", "برنامج إرشاد لطالبات الهندسة",
     "نطلق برنامج إرشاد عن بعد لطالبات الهندسة في مصر. نحتاج مرشدات لساعة واحدة شهرياً.",
     [("rania", "يسعدني المشاركة. أعمل في هندسة البرمجيات في لندن."),
      ("farah", "Je peux aider aussi, en français ou en anglais.")]),
    ("skills-and-mentoring", "mustafa", "معادلة الشهادات الطبية في ألمانيا",
     "كم استغرقت معادلة شهادة الطب لديكم في ألمانيا؟ وهل كان امتحان اللغة صعباً؟",
     [("karim", "سنتان تقريباً، مع امتحان المعرفة ولغة طبية بمستوى C1.")]),
    ("return-and-reintegration", "karim", "العودة إلى تونس بعد خمسة عشر عاماً",
     "أفكر في العودة وفتح مكتب هندسي. ما الذي فاجأكم في السنة الأولى بعد العودة؟",
     [("youssef", "بطء الإجراءات الإدارية، لكن شبكة العائدين ساعدتني كثيراً."),
      ("salma", "ابدأ بالتواصل مع غرفة التجارة قبل العودة.")]),
    ("return-and-reintegration", "hamid", "إعادة الاندماج بعد العودة: الدعم النفسي",
     "العودة ليست سهلة نفسياً. هل توجد مجموعات دعم للعائدين؟",
     [("rania", "بعض المنظمات تقدم جلسات جماعية مجانية. سأرسل لك الروابط.")]),
    ("policy-and-institutions", "youssef", "مشاورة حول استراتيجية الجالية الجديدة",
     "تفتح الوزارة باب المشاورة حول استراتيجية الجالية. ما أهم مطالبكم؟",
     [("karim", "نافذة موحدة للخدمات القنصلية عبر الإنترنت."),
      ("salma", "تمثيل الشباب والنساء في المجلس الاستشاري.")]),
    ("policy-and-institutions", "salma", "التصويت من الخارج",
     "هل تفضلون التصويت بالبريد أم في السفارات؟ وما الذي يمنعكم من المشاركة؟",
     [("mustafa", "بعد المسافة عن السفارة هو العائق الأكبر.")]),
    ("toolkits-and-resources", "rania", "دليل: تأسيس جمعية للجالية في المملكة المتحدة",
     "أعددنا دليلاً مختصراً لتأسيس جمعية خيرية للجالية: النظام الأساسي والتسجيل والحساب "
     "المصرفي. ملاحظاتكم مرحب بها.",
     [("karim", "أضيفوا قسماً عن الحوكمة وتضارب المصالح.")]),
    ("toolkits-and-resources", "karim", "نموذج استبيان لرسم خريطة كفاءات الجالية",
     "نشارككم نموذج استبيان من عشرة أسئلة لرسم خريطة مهارات الجالية. كيف نطمئن المشاركين "
     "على بياناتهم؟",
     [("salma", "اشرحوا في الصفحة الأولى أين تُحفظ البيانات ومن يطّلع عليها.")]),
    ("senegal-diaspora", "youssef", "التعاون بين الجاليات المغاربية والسنغالية في فرنسا",
     "هل هناك مبادرات مشتركة بين الجمعيات المغاربية والسنغالية في ليون؟",
     [("aissatou", "Oui ! Notre réseau de santé travaille avec une association marocaine à "
       "Vénissieux. Contactez-nous.")]),
    ("ghana-homecoming", "salma", "الاستثمار في غانا: تجارب من الجالية العربية",
     "هل لدى أحدكم تجربة في تأسيس شركة في أكرا؟ ما المدة والتكاليف؟",
     [("kwame", "Registration took me three weeks in Accra. Happy to help in English.")]),
]  # fmt: skip

THREADS = [(*item[:1], lang, *item[1:]) for lang, items in
           (("en", _EN), ("fr", _FR), ("es", _ES), ("ar", _AR)) for item in items]  # fmt: skip
