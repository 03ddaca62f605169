# رسائل المنظومة (تذكير، تجاوز الآجال، متابعة الملفات).

obligation-file-reply = الرد على الملف
obligation-file-first-response = الرد الأول على البريد الإلكتروني (48 ساعة)
obligation-referral-reply = الرد على الملف المحال
obligation-cso-regularisation = تسوية وضعية الجمعية
obligation-opinions-committee-report = تقرير اللجنة قبل الدورة
obligation-opinions-summary-posting = تعليق ملخص التقارير
obligation-opinions-summary-display = إبقاء ملخص التقارير معلقا
obligation-watcher-corrective-action = الإجراء التصحيحي المعلن عنه
obligation-other = الالتزام

reminder-subject = تذكير: { $what } ({ $reference })
reminder-body =
    تحية طيبة،

    نذكّركم بأن { $what } (المرجع { $reference }) مطلوب في أجل أقصاه { $due }.

    منظومة المواطن الإلكتروني

overdue-subject = تجاوز الأجل: { $what } ({ $reference })
overdue-body =
    تحية طيبة،

    تم تجاوز أجل { $due }: لم يتم إنجاز { $what } (المرجع { $reference }).
    تم إعلام المستوى الأعلى بهذا التأخير.

    منظومة المواطن الإلكتروني

escalation-subject = إعلام بتأخير: { $what } ({ $reference })
escalation-body =
    تحية طيبة،

    للمتابعة: لم يتم إنجاز { $what } (المرجع { $reference }) المطلوب في أجل أقصاه { $due }.
    مستوى الإعلام: { $level }.

    منظومة المواطن الإلكتروني

# متابعة الملفات، ترسل إلى أصحابها.

file-received-subject = تم تسجيل ملفكم ({ $reference })
file-received-body =
    تحية طيبة،

    تم تسجيل ملفكم تحت رمز المتابعة { $reference }.
    يرجى الاحتفاظ بهذا الرمز: يمكّنكم من متابعة الملف عبر الإنترنت أو بالهاتف.

    منظومة المواطن الإلكتروني
file-admitted-subject = تم قبول ملفكم ({ $reference })
file-admitted-body =
    تحية طيبة،

    تم قبول ملفكم { $reference } وهو قيد الدراسة.

    منظومة المواطن الإلكتروني
file-inadmissible-subject = ملفكم غير مقبول ({ $reference })
file-inadmissible-body =
    تحية طيبة،

    تم التصريح بعدم قبول ملفكم { $reference }. السبب مبيّن في صفحة المتابعة.

    منظومة المواطن الإلكتروني
file-information-requested-subject = معلومات مطلوبة لملفكم ({ $reference })
file-information-requested-body =
    تحية طيبة،

    نحتاج إلى معلومات إضافية لدراسة ملفكم { $reference }.
    يرجى الاطلاع على صفحة المتابعة والرد في الأجل المبيّن.

    منظومة المواطن الإلكتروني
file-answered-subject = رد ممضى على ملفكم ({ $reference })
file-answered-body =
    تحية طيبة،

    الرد الممضى على ملفكم { $reference } متاح في صفحة المتابعة.
    يمكنكم تقييمه، والاعتراض عليه مرة واحدة في الأجل المبيّن إن رغبتم في ذلك.

    منظومة المواطن الإلكتروني
file-closed-subject = تم غلق ملفكم ({ $reference })
file-closed-body =
    تحية طيبة،

    تم غلق ملفكم { $reference }.

    منظومة المواطن الإلكتروني
file-merged-subject = تم ضم ملفكم إلى ملف آخر ({ $reference })
file-merged-body =
    تحية طيبة،

    يتعلق ملفكم { $reference } بنفس المسألة التي يتناولها ملف مفتوح: تم ضمه إليه وستتابعون الرد عليه.

    منظومة المواطن الإلكتروني

# الحسابات.

account-confirm-subject = تأكيد عنوان بريدكم الإلكتروني
account-confirm-body =
    تحية طيبة،

    لتفعيل حسابكم في منظومة المواطن الإلكتروني، يرجى فتح هذا الرابط في أجل { $hours } ساعة:
    { $link }

    إن لم تطلبوا فتح حساب، يرجى تجاهل هذه الرسالة.

    منظومة المواطن الإلكتروني
account-exists-subject = لديكم حساب بالفعل
account-exists-body =
    تحية طيبة،

    تم طلب التسجيل بهذا العنوان الذي يملك حسابا في منظومة المواطن الإلكتروني.
    إن نسيتم كلمة العبور، يمكنكم طلب كلمة جديدة من صفحة الدخول.

    منظومة المواطن الإلكتروني
password-reset-subject = كلمة عبور جديدة
password-reset-body =
    تحية طيبة،

    لاختيار كلمة عبور جديدة، يرجى فتح هذا الرابط في أجل { $minutes } دقيقة:
    { $link }

    إن لم تطلبوا شيئا، يرجى تجاهل هذه الرسالة: تبقى كلمة العبور دون تغيير.

    منظومة المواطن الإلكتروني
invitation-subject = حسابكم كعون في منظومة المواطن الإلكتروني
invitation-body =
    تحية طيبة،

    تم فتح حساب عون لفائدتكم في منظومة المواطن الإلكتروني. يرجى اختيار كلمة العبور بفتح
    هذا الرابط في أجل { $hours } ساعة:
    { $link }

    منظومة المواطن الإلكتروني
