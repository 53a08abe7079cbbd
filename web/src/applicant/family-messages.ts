/**
 * The words of the applicant pages made for a family on a phone — drafts, what the identity
 * number says, income as people write it, case references, what is left to pay, how long steps
 * take, recovery — in the three languages. Plain words, as docs/web.md's glossary keeps them:
 * "account", "passphrase", "public record", "check", never key, ledger, sign, node or version.
 */
import { catalog } from '../i18n/catalog';

export const family = catalog(
  {
    steps: { label: 'Steps of the application' },
    draft: {
      resumed:
        'Picked up where you stopped. What you typed is kept on this phone, locked with your account, until you send it (last saved {{date}}).',
    },
    id: {
      says: 'The number gives the date of birth {{date}} and the sex: {{sex}}.',
      male: 'male',
      female: 'female',
      nameHelp:
        'Only its first letters are shown in your list, and only on this phone. The hospital and the program see the name.',
      age: 'Age, from the identity number: {{age}}. You need not enter it.',
    },
    open: {
      title: 'This patient already has an open application in this program',
      text: 'Application {{reference}} for this patient is still open. A second one is not accepted while it is open: follow that one instead, or withdraw it first.',
      link: 'Open application {{reference}}',
    },
    income: {
      label: 'The household’s total income in a year ({{currency}})',
      help: 'Everyone’s income together, before tax. Write it as you like: 18000, 18,000, ¥18,000, 18000元 or 1.8万.',
      size: 'How many people live in the household',
      invalid:
        'Enter an amount in {{currency}}, such as 18000, 18,000 or 1.8万, with at most {{digits}} decimals.',
      perPerson: 'Income per person a year: {{amount}}',
      perPersonLater:
        'The income per person is worked out when both the total and the number of people are filled in.',
    },
    reference: {
      label: 'Application number',
      help: 'Short enough to read out on the phone: give it to the hospital or the program when you ask about your application.',
      inList: 'Application number',
    },
    search: {
      label: 'Find an application by its number',
      help: 'As written on the receipt, such as AL-7KQ4-M9XC.',
      invalid: 'This is not an application number: check each character.',
      none: 'None of your applications has this number.',
    },
    list: { patientAt: 'Patient {{initials}}, at {{hospital}}' },
    choose: {
      forWhom: 'Who it is for',
      pays: 'What it pays',
      bring: 'Documents to bring',
      bringNothing: 'No documents: the hospital provides what is needed.',
      time: 'Usual time to a decision',
      timeIs: 'About {{time}} (the middle of its last {{cases}} decided applications)',
      timeLoading: 'Working it out…',
      timeNone: 'Not known yet: the program has not decided an application so far.',
      apply: 'Apply to this program',
      applyTo: ': {{program}}',
    },
    wait: {
      day: '{{n}} day',
      days: '{{n}} days',
      hour: '{{n}} hour',
      hours: '{{n}} hours',
      minute: '{{n}} minute',
      minutes: '{{n}} minutes',
    },
    next: {
      usually: 'This step usually takes about {{time}} (from {{cases}} earlier applications).',
    },
    owed: {
      title: 'What you still have to pay',
      titleProposed: 'What you would still have to pay',
      bills: 'Hospital bills after basic insurance',
      granted: 'Granted by the program',
      grantedProposed: 'The program’s rules would grant',
      left: 'Left for you to pay',
      note: 'The bills are the hospital’s figures after basic medical insurance paid its part; the program pays its part to the hospital directly.',
    },
    check: {
      summary: 'Check these steps on the public record',
      text: 'Each step is written in a public record that nobody can change afterwards. Anyone may check it; you do not need to.',
    },
    why: { summary: 'Why: each condition and the amount, step by step' },
    sheet: {
      title: 'Your recovery sheet',
      open: 'Print the recovery sheet',
      offer:
        'Print the recovery sheet, or save it as a PDF, and keep it at home. With it and your passphrase you can open your account on another phone.',
      noKey: 'There is no account on this phone yet.',
      toAccount: 'Back to my account',
      intro:
        'This sheet opens your AidLedger account on another phone, together with your passphrase. Keep it at home, away from the phone.',
      qrAlt: 'Code that opens your account on another phone',
      accountCheck: 'Account check: {{check}}',
      howTitle: 'On a new phone',
      how1: 'Point the phone’s camera at the code above and open the link it shows.',
      how2: 'Enter your passphrase.',
      how3: 'Your applications appear as before.',
      passphraseNote:
        'Do not write your passphrase on this sheet: anyone with both could open your account.',
      lostNote:
        'Lost the sheet or forgot the passphrase? Make a new account on your phone and ask the hospital’s social worker to move your application to it; bring the patient’s identity card.',
      print: 'Print',
    },
    restore: {
      replaces:
        'This phone already holds another account (check {{other}}). Opening the account of this sheet (check {{check}}) removes that one from this phone; its applications stay on the public record.',
      title: 'Open your account on this phone',
      heading: 'Enter your passphrase',
      text: 'This link comes from your recovery sheet. Your passphrase opens your account on this phone.',
    },
    newPhone: {
      title: 'Move your application to this phone',
      link: 'Lost your old phone or passphrase? Move your application to this phone',
      welcomeTitle: 'Lost your phone or your passphrase?',
      welcomeText:
        'Make a new account above. Then the hospital’s social worker can move your open application to it, after checking the patient’s identity card in person.',
      intro:
        'If your old phone is lost or you forgot its passphrase, the social worker of the hospital treating the patient can move your open application to the account on this phone. Bring the patient’s identity card.',
      show: 'Show this to the social worker:',
      qrAlt: 'Code of the account on this phone',
      check: 'Account check:',
      makeFirst: 'First make an account on this phone.',
      make: 'Make an account',
      thenTitle: 'What happens then',
      then1: 'The social worker checks the patient’s identity card and scans the code.',
      then2: 'Your application appears in your list on this phone, and you continue from there.',
      then3: 'The old account is closed: nobody can use it any more, even with the old phone.',
    },
    home: {
      applyTitle: 'Need help with hospital bills?',
      applyText:
        'Families can apply for medical aid from this phone. It takes about ten minutes; the hospital helps with the rest.',
      apply: 'Apply for aid',
      donorsTitle: 'Where the money goes',
    },
  },
  {
    steps: { label: '申請步驟' },
    draft: {
      resumed:
        '已接續您上次停下的地方。您填寫的內容鎖在您的帳戶裡，只保存在這部手機上，直到您送出為止（上次保存：{{date}}）。',
    },
    id: {
      says: '證件號碼顯示出生日期為 {{date}}，性別：{{sex}}。',
      male: '男',
      female: '女',
      nameHelp: '您的清單只會顯示姓名的第一個字，而且只在這部手機上顯示。醫院和計劃會看到全名。',
      age: '年齡（依證件號碼）：{{age}} 歲，無須填寫。',
    },
    open: {
      title: '這位患者在此計劃已有一宗未完結的申請',
      text: '這位患者的申請 {{reference}} 仍未完結。未完結前不接受第二宗申請：請繼續跟進該申請，或先撤回它。',
      link: '查看未完結的申請 {{reference}}',
    },
    income: {
      label: '家庭全年總收入（{{currency}}）',
      help: '全家人的收入合計（稅前）。怎樣寫都可以：18000、18,000、¥18,000、18000元或1.8萬。',
      size: '家庭共有幾人',
      invalid: '請輸入{{currency}}金額，例如 18000、18,000 或 1.8萬，最多 {{digits}} 位小數。',
      perPerson: '家庭人均年收入：{{amount}}',
      perPersonLater: '填好總收入和家庭人數後，會自動算出人均收入。',
    },
    reference: {
      label: '申請編號',
      help: '編號很短，方便在電話中讀出：向醫院或計劃查詢申請時，請提供這個編號。',
      inList: '申請編號',
    },
    search: {
      label: '以編號尋找申請',
      help: '按收據上的寫法輸入，例如 AL-7KQ4-M9XC。',
      invalid: '這不是申請編號，請逐字檢查。',
      none: '您的申請中沒有這個編號。',
    },
    list: { patientAt: '患者 {{initials}}，{{hospital}}' },
    choose: {
      forWhom: '適用對象',
      pays: '支付多少',
      bring: '需要帶備的文件',
      bringNothing: '無須文件：醫院會提供所需資料。',
      time: '一般多久有決定',
      timeIs: '約 {{time}}（最近 {{cases}} 宗已決定申請的中位數）',
      timeLoading: '計算中…',
      timeNone: '暫未得知：此計劃至今尚未決定任何申請。',
      apply: '申請此計劃',
      applyTo: '：{{program}}',
    },
    wait: {
      day: '{{n}} 天',
      days: '{{n}} 天',
      hour: '{{n}} 小時',
      hours: '{{n}} 小時',
      minute: '{{n}} 分鐘',
      minutes: '{{n}} 分鐘',
    },
    next: { usually: '這一步一般需時約 {{time}}（根據之前 {{cases}} 宗申請）。' },
    owed: {
      title: '您仍需支付多少',
      titleProposed: '您大約仍需支付多少',
      bills: '扣除基本醫保後的醫療費用',
      granted: '計劃批給',
      grantedProposed: '按計劃規則可批給',
      left: '您仍需支付',
      note: '醫療費用是醫院提供、已扣除基本醫保支付部分後的數字；計劃會把批給的款項直接付給醫院。',
    },
    check: {
      summary: '在公開紀錄上查核這些步驟',
      text: '每一步都寫在一份事後無人能改的公開紀錄上。任何人都可以查核；您不必這樣做。',
    },
    why: { summary: '原因：每項條件及金額的計算步驟' },
    sheet: {
      title: '您的帳戶復原單',
      open: '列印帳戶復原單',
      offer:
        '請列印帳戶復原單（或存成 PDF）並放在家中。有了它和您的密碼，就可在另一部手機打開您的帳戶。',
      noKey: '這部手機上還沒有帳戶。',
      toAccount: '返回我的帳戶',
      intro:
        '這張復原單配合您的密碼，可在另一部手機打開您的 AidLedger 帳戶。請放在家中，不要和手機放在一起。',
      qrAlt: '在另一部手機打開您帳戶的二維碼',
      accountCheck: '帳戶核對碼：{{check}}',
      howTitle: '在新手機上',
      how1: '用手機相機對準上面的二維碼，打開它顯示的連結。',
      how2: '輸入您的密碼。',
      how3: '您的申請會和以前一樣顯示。',
      passphraseNote: '請不要把密碼寫在這張單上：同時拿到兩者的人就能打開您的帳戶。',
      lostNote:
        '遺失了復原單或忘記密碼？請在手機上建立新帳戶，再請醫院的社工把您的申請轉到新帳戶；請帶備患者的身份證件。',
      print: '列印',
    },
    restore: {
      replaces:
        '這部手機上已有另一個帳戶（核對碼 {{other}}）。打開這張復原單的帳戶（核對碼 {{check}}）會把那個帳戶從這部手機移除；它的申請仍保留在公開紀錄上。',
      title: '在這部手機打開您的帳戶',
      heading: '請輸入您的密碼',
      text: '這個連結來自您的帳戶復原單。輸入密碼後，您的帳戶就會在這部手機上打開。',
    },
    newPhone: {
      title: '把申請轉到這部手機',
      link: '遺失了舊手機或忘記密碼？把申請轉到這部手機',
      welcomeTitle: '遺失了手機或忘記密碼？',
      welcomeText:
        '請先在上面建立新帳戶。醫院的社工當面核對患者的身份證件後，可以把您未完結的申請轉到新帳戶。',
      intro:
        '如果舊手機遺失了或忘記了密碼，治療患者的醫院的社工可以把您未完結的申請轉到這部手機上的帳戶。請帶備患者的身份證件。',
      show: '請把以下內容給社工看：',
      qrAlt: '這部手機上帳戶的二維碼',
      check: '帳戶核對碼：',
      makeFirst: '請先在這部手機上建立帳戶。',
      make: '建立帳戶',
      thenTitle: '之後會怎樣',
      then1: '社工核對患者的身份證件，並掃描二維碼。',
      then2: '您的申請會出現在這部手機的清單中，您可以從那裡繼續。',
      then3: '舊帳戶會被關閉：即使用舊手機，也無人能再使用它。',
    },
    home: {
      applyTitle: '需要幫忙支付醫療費用？',
      applyText: '家庭可以用這部手機申請醫療救助，約需十分鐘；其餘的由醫院協助。',
      apply: '申請救助',
      donorsTitle: '善款去向',
    },
  },
  {
    steps: { label: '申请步骤' },
    draft: {
      resumed:
        '已接着您上次停下的地方继续。您填写的内容锁在您的账户里，只保存在这部手机上，直到您提交为止（上次保存：{{date}}）。',
    },
    id: {
      says: '证件号码显示出生日期为 {{date}}，性别：{{sex}}。',
      male: '男',
      female: '女',
      nameHelp: '您的列表只会显示姓名的第一个字，而且只在这部手机上显示。医院和项目会看到全名。',
      age: '年龄（按证件号码）：{{age}} 岁，无需填写。',
    },
    open: {
      title: '这位患者在此项目已有一份未办结的申请',
      text: '这位患者的申请 {{reference}} 仍未办结。办结前不接受第二份申请：请继续跟进该申请，或先撤回它。',
      link: '查看未办结的申请 {{reference}}',
    },
    income: {
      label: '家庭全年总收入（{{currency}}）',
      help: '全家人的收入合计（税前）。怎么写都可以：18000、18,000、¥18,000、18000元或1.8万。',
      size: '家庭共有几口人',
      invalid: '请输入{{currency}}金额，例如 18000、18,000 或 1.8万，最多 {{digits}} 位小数。',
      perPerson: '家庭人均年收入：{{amount}}',
      perPersonLater: '填好总收入和家庭人口后，会自动算出人均收入。',
    },
    reference: {
      label: '申请编号',
      help: '编号很短，方便在电话里念出：向医院或项目查询申请时，请提供这个编号。',
      inList: '申请编号',
    },
    search: {
      label: '按编号查找申请',
      help: '按回执上的写法输入，例如 AL-7KQ4-M9XC。',
      invalid: '这不是申请编号，请逐字检查。',
      none: '您的申请中没有这个编号。',
    },
    list: { patientAt: '患者 {{initials}}，{{hospital}}' },
    choose: {
      forWhom: '适用对象',
      pays: '支付多少',
      bring: '需要携带的材料',
      bringNothing: '无需材料：医院会提供所需资料。',
      time: '一般多久有决定',
      timeIs: '约 {{time}}（最近 {{cases}} 份已决定申请的中位数）',
      timeLoading: '计算中…',
      timeNone: '暂不知道：此项目至今尚未决定任何申请。',
      apply: '申请此项目',
      applyTo: '：{{program}}',
    },
    wait: {
      day: '{{n}} 天',
      days: '{{n}} 天',
      hour: '{{n}} 小时',
      hours: '{{n}} 小时',
      minute: '{{n}} 分钟',
      minutes: '{{n}} 分钟',
    },
    next: { usually: '这一步一般需要约 {{time}}（根据之前 {{cases}} 份申请）。' },
    owed: {
      title: '您还需要支付多少',
      titleProposed: '您大约还需要支付多少',
      bills: '扣除基本医保后的医疗费用',
      granted: '项目批给',
      grantedProposed: '按项目规则可批给',
      left: '您还需支付',
      note: '医疗费用是医院提供、已扣除基本医保支付部分后的数字；项目会把批给的款项直接付给医院。',
    },
    check: {
      summary: '在公开记录上核对这些步骤',
      text: '每一步都写在一份事后无人能改的公开记录上。任何人都可以核对；您不必这样做。',
    },
    why: { summary: '原因：每项条件及金额的计算步骤' },
    sheet: {
      title: '您的账户找回单',
      open: '打印账户找回单',
      offer:
        '请打印账户找回单（或存成 PDF）并放在家里。有了它和您的密码，就能在另一部手机上打开您的账户。',
      noKey: '这部手机上还没有账户。',
      toAccount: '返回我的账户',
      intro:
        '这张找回单配合您的密码，可以在另一部手机上打开您的 AidLedger 账户。请放在家里，不要和手机放在一起。',
      qrAlt: '在另一部手机上打开您账户的二维码',
      accountCheck: '账户核对码：{{check}}',
      howTitle: '在新手机上',
      how1: '用手机相机对准上面的二维码，打开它显示的链接。',
      how2: '输入您的密码。',
      how3: '您的申请会和以前一样显示。',
      passphraseNote: '请不要把密码写在这张单上：同时拿到两者的人就能打开您的账户。',
      lostNote:
        '丢了找回单或忘了密码？请在手机上新建账户，再请医院的社工把您的申请转到新账户；请携带患者的身份证件。',
      print: '打印',
    },
    restore: {
      replaces:
        '这部手机上已有另一个账户（核对码 {{other}}）。打开这张找回单的账户（核对码 {{check}}）会把那个账户从这部手机移除；它的申请仍保留在公开记录上。',
      title: '在这部手机上打开您的账户',
      heading: '请输入您的密码',
      text: '这个链接来自您的账户找回单。输入密码后，您的账户就会在这部手机上打开。',
    },
    newPhone: {
      title: '把申请转到这部手机',
      link: '丢了旧手机或忘了密码？把申请转到这部手机',
      welcomeTitle: '丢了手机或忘了密码？',
      welcomeText:
        '请先在上面新建账户。医院的社工当面核对患者的身份证件后，可以把您未办结的申请转到新账户。',
      intro:
        '如果旧手机丢了或忘了密码，治疗患者的医院的社工可以把您未办结的申请转到这部手机上的账户。请携带患者的身份证件。',
      show: '请把以下内容给社工看：',
      qrAlt: '这部手机上账户的二维码',
      check: '账户核对码：',
      makeFirst: '请先在这部手机上新建账户。',
      make: '新建账户',
      thenTitle: '之后会怎样',
      then1: '社工核对患者的身份证件，并扫描二维码。',
      then2: '您的申请会出现在这部手机的列表中，您可以从那里继续。',
      then3: '旧账户会被关闭：即使用旧手机，也没有人能再使用它。',
    },
    home: {
      applyTitle: '需要帮忙支付医疗费用？',
      applyText: '家庭可以用这部手机申请医疗救助，大约需要十分钟；其余的由医院协助。',
      apply: '申请救助',
      donorsTitle: '善款去向',
    },
  },
);
