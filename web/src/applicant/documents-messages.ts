/**
 * The words of the applicant's documents on their case page (adding a photo or scan of a
 * document the program asks for), in the family's plain words (docs/web.md "Plain words").
 */
import { catalog } from '../i18n/catalog';

export const applicantDocuments = catalog(
  {
    title: 'Your documents',
    intro:
      'Add a photo or a scan of each document the program asks for. Only you, the hospital and the program’s staff can open it, and each time someone does, it shows in the list below.',
    none: 'No documents added yet.',
    asked: 'The program asks for: {{list}}.',
    added: 'Added',
    kind: 'Which document',
    choose: 'Choose a photo or a file',
    chosen: 'Chosen: {{name}}',
    chooseFirst: 'Choose a photo or a file first.',
    send: 'Send the document',
    sent: 'Sent. The hospital and the program can now see it.',
    help: 'A PDF, or a photo (JPEG or PNG), up to 20 MB.',
    problems: {
      TOO_LARGE: 'This file is larger than 20 MB. Take a smaller photo or scan.',
      UNSUPPORTED_TYPE: 'This is not a PDF or a photo (JPEG or PNG).',
      INVALID_STATE: 'This application has ended, so nothing more can be added.',
      RATE_LIMITED: 'Too many at once. Wait a little and try again.',
      other: 'The document could not be sent (code {{code}}). Try again.',
    },
  },
  {
    title: '您的證明文件',
    intro:
      '請為計劃要求的每份文件拍照或掃描後加入。只有您、醫院和計劃的工作人員能開啟；每次有人開啟，都會列在下方。',
    none: '尚未加入任何文件。',
    asked: '計劃要求：{{list}}。',
    added: '已加入',
    kind: '哪一份文件',
    choose: '選擇照片或檔案',
    chosen: '已選擇：{{name}}',
    chooseFirst: '請先選擇照片或檔案。',
    send: '送出文件',
    sent: '已送出。醫院和計劃現在可以看到。',
    help: 'PDF 或照片，不超過 20 MB。',
    problems: {
      TOO_LARGE: '這個檔案超過 20 MB。請拍一張較小的照片或掃描。',
      UNSUPPORTED_TYPE: '這不是 PDF 或照片。',
      INVALID_STATE: '這宗申請已結束，不能再加入文件。',
      RATE_LIMITED: '同時送出的太多。請稍候再試。',
      other: '文件未能送出（代碼 {{code}}）。請再試一次。',
    },
  },
  {
    title: '您的证明文件',
    intro:
      '请为项目要求的每份文件拍照或扫描后加入。只有您、医院和项目的工作人员能打开；每次有人打开，都会列在下方。',
    none: '尚未加入任何文件。',
    asked: '项目要求：{{list}}。',
    added: '已加入',
    kind: '哪一份文件',
    choose: '选择照片或文件',
    chosen: '已选择：{{name}}',
    chooseFirst: '请先选择照片或文件。',
    send: '提交文件',
    sent: '已提交。医院和项目现在可以看到。',
    help: 'PDF 或照片，不超过 20 MB。',
    problems: {
      TOO_LARGE: '这个文件超过 20 MB。请拍一张较小的照片或扫描。',
      UNSUPPORTED_TYPE: '这不是 PDF 或照片。',
      INVALID_STATE: '这份申请已结束，不能再加入文件。',
      RATE_LIMITED: '同时提交的太多。请稍候再试。',
      other: '文件未能提交（代码 {{code}}）。请再试一次。',
    },
  },
);
